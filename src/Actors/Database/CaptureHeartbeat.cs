namespace LitestreamActors.Actors.Database;

/// <summary>
/// When a database's capture loop last looked at it: a capture cycle ended (the database actor), or a monitor tick of
/// the WAL reader found both files as quiet as before, which sends no message (docs/capture.md, "Idle databases"). The
/// database's status and readiness read it. Written by both actors, one timestamp, atomic.
/// </summary>
public sealed class CaptureHeartbeat
{
    private long _lastUtcTicks;

    public DateTimeOffset? Last => Interlocked.Read(ref _lastUtcTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Beat(DateTimeOffset at) => Interlocked.Exchange(ref _lastUtcTicks, at.UtcTicks);
}
