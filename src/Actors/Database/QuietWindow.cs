using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// What a WAL reader found at its last monitor tick that needed nothing: both files' settled quiet stamp, the TXID it
/// holds, and when something falls due without any write (a full check, a timed checkpoint). While both files still
/// carry the stamp and that moment has not come, a tick would find nothing either: the monitor clock answers it
/// without the reader (docs/capture.md, "Idle databases").
/// </summary>
public sealed record QuietWindow(QuietStamp Stamp, ulong Txid, DateTimeOffset AttendAt)
{
    /// <summary>Whether a tick that sees <paramref name="now"/> at <paramref name="at"/> would find nothing to do.</summary>
    public bool Holds(QuietStamp now, DateTimeOffset at) => at < AttendAt && Stamp.Unchanged(now);
}
