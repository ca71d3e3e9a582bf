namespace LitestreamActors.Actors.Replication;

/// <summary>UTC boundaries of an interval, as upstream schedules compaction and snapshots (so a restart does not run early).</summary>
internal static class WallClock
{
    /// <summary>The time left until the next multiple of <paramref name="interval"/> since the epoch.</summary>
    public static TimeSpan UntilNextBoundary(TimeSpan interval)
    {
        var now = DateTimeOffset.UtcNow;
        return TimeSpan.FromTicks(interval.Ticks - now.UtcTicks % interval.Ticks);
    }
}
