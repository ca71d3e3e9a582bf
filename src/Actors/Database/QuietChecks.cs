namespace LitestreamActors.Actors.Database;

/// <summary>
/// When the WAL reader last found a database's files exactly as at its last capture that found nothing. Such a tick
/// sends no message (docs/performance.md, "Idle databases"); the database actor reads this for its status, so readiness
/// still sees a capture loop that is alive. Written by the reader, read by the database actor: one timestamp, atomic.
/// </summary>
public sealed class QuietChecks
{
    private long _lastUtcTicks;

    public DateTimeOffset? Last => Interlocked.Read(ref _lastUtcTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Checked(DateTimeOffset at) => Interlocked.Exchange(ref _lastUtcTicks, at.UtcTicks);
}
