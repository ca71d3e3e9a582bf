namespace LitestreamActors.Actors.Database;

/// <summary>What a <see cref="ReplicationState"/> transition asks the database actor to do.</summary>
public abstract record ReplicationEffect
{
    /// <summary>Delete local L0 files through this TXID (the newest always stays).</summary>
    public sealed record Prune(ulong Through) : ReplicationEffect;

    /// <summary>The replica lets go of the files it needed and goes on from the full L0 file at this TXID.</summary>
    public sealed record Resync(string Replica, ulong FromTxid) : ReplicationEffect;

    /// <summary>The next L0 file is a full one after this TXID; <see cref="CaptureNow"/>: capture at once.</summary>
    public sealed record ContinueAfter(ulong Txid, bool CaptureNow) : ReplicationEffect;

    /// <summary>One warning line for the log.</summary>
    public sealed record Warn(string Message) : ReplicationEffect;
}
