namespace LitestreamActors.Actors.Replication;

/// <summary>
/// When a replica uploads, as upstream's <c>sync-interval</c>: uploads go in rounds at least the interval apart. A round
/// takes every file ready when it starts, back to back; files that become ready meanwhile wait for the next round; the
/// first file after an idle spell goes at once. An explicit or final sync starts a round now. See docs/replication.md.
/// </summary>
public sealed record UploadPacing(TimeSpan Interval)
{
    /// <summary>When the last round started; null before the first.</summary>
    public DateTimeOffset? RoundStartedAt { get; init; }

    /// <summary>The newest TXID the current round uploads.</summary>
    public ulong RoundThrough { get; init; }

    /// <summary>
    /// What to do with the replica at <paramref name="position"/> while local files reach <paramref name="ready"/>:
    /// upload the next file (possibly starting a round), or wait until <see cref="Decision.WaitUntil"/>.
    /// </summary>
    public (UploadPacing State, Decision Decision) Next(DateTimeOffset now, ulong position, ulong ready, bool hurry = false)
    {
        if (position >= ready)
        {
            return (this, Decision.Idle);
        }
        if (position < RoundThrough)
        {
            return (this, Decision.Upload);
        }
        var due = RoundStartedAt is { } started ? started + Interval : now;
        if (now < due && !hurry)
        {
            return (this, new Decision(due));
        }
        return (this with { RoundStartedAt = now, RoundThrough = ready }, Decision.Upload);
    }

    /// <summary>The first retry after a failure waits one interval (at least a second), doubling up to 30 s or the interval.</summary>
    public TimeSpan RetryDelay(int failures)
    {
        var first = Interval > TimeSpan.FromSeconds(1) ? Interval : TimeSpan.FromSeconds(1);
        var most = Interval > TimeSpan.FromSeconds(30) ? Interval : TimeSpan.FromSeconds(30);
        return TimeSpan.FromMilliseconds(Math.Min(most.TotalMilliseconds, first.TotalMilliseconds * Math.Pow(2, Math.Max(0, failures - 1))));
    }

    /// <summary>Upload now (<see cref="WaitUntil"/> null), or not before then; <see cref="Idle"/>: nothing to upload.</summary>
    public sealed record Decision(DateTimeOffset? WaitUntil)
    {
        public static Decision Upload { get; } = new((DateTimeOffset?)null);

        public static Decision Idle { get; } = new(DateTimeOffset.MaxValue);
    }
}
