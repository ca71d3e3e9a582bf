namespace LitestreamActors.Actors.Status;

/// <summary>
/// One database as the node sees it; <see cref="State"/> is starting, replicating, waiting (for its file), failed
/// (its capture or a replica; <see cref="LastError"/> says why) or stopped.
/// </summary>
public sealed record DatabaseStatus(
    string Path, string State, ulong? Txid, DateTimeOffset? LastSyncAt, string? LastError, IReadOnlyList<ReplicaStatus> Replicas)
{
    /// <summary>When the last capture cycle finished reading the WAL, changes or not; readiness watches it.</summary>
    public DateTimeOffset? LastCheckAt { get; init; }

    public TimeSpan? MonitorInterval { get; init; }

    /// <summary>Bytes of local L0 files kept for replicas that do not hold them yet (or for level 1 to merge).</summary>
    public long LocalL0Bytes { get; init; }

    /// <summary>A standby: the TXID of the database it follows, as the cluster's catalog shows its writer (null: unknown).</summary>
    public ulong? SourceTxid { get; init; }
}
