namespace LitestreamActors.Actors.Database;

/// <summary>
/// When a WAL change the watcher reports is captured (docs/replication.md, "Capture pacing"): the first change after a
/// quiet spell at once; under load no sooner than one monitor interval after the start of the last capture that wrote
/// a file, so a busy writer costs one capture per interval. A capture that found nothing does not count. The watcher
/// sees a commit's first WAL write, but SQLite makes the commit visible later, in the shared-memory index, which raises
/// no event: a capture it asked for that finds nothing looks again shortly, a few times, before waiting for the tick.
/// </summary>
public sealed record CapturePacing(TimeSpan Gap)
{
    // A commit is visible once its WAL fsync returns: tens of milliseconds on most disks, hundreds on slow ones.
    private static readonly TimeSpan[] Rechecks = [.. new[] { 5, 15, 30, 60, 120, 250 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>When the last capture that wrote a file started; null before the first.</summary>
    public DateTimeOffset? LastWroteAt { get; init; }

    /// <summary>How many times the captures since the last change the watcher reported looked again and found nothing.</summary>
    public int RechecksDone { get; init; }

    /// <summary>A capture started at <paramref name="startedAt"/> wrote a file.</summary>
    public CapturePacing Wrote(DateTimeOffset startedAt) => this with { LastWroteAt = startedAt, RechecksDone = 0 };

    /// <summary>The watcher reported a change: its captures may look again.</summary>
    public CapturePacing Changed() => this with { RechecksDone = 0 };

    /// <summary>How long a change seen at <paramref name="now"/> waits to be captured; zero: at once.</summary>
    public TimeSpan WaitFor(DateTimeOffset now) =>
        LastWroteAt is { } last && last + Gap > now ? last + Gap - now : TimeSpan.Zero;

    /// <summary>A capture the watcher (or a recheck) asked for found nothing: when to look again; null: wait for the next change or tick.</summary>
    public (CapturePacing State, TimeSpan? Recheck) FoundNothing() => RechecksDone < Rechecks.Length
        ? (this with { RechecksDone = RechecksDone + 1 }, Rechecks[RechecksDone])
        : (this, null);
}
