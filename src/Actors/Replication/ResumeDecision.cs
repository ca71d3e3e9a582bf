using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Where a replica goes on from when it starts, from its newest L0 file and the local file of the same TXID
/// (docs/replication.md, "Starting"): the same file (same header) is held; the same header with another size is a
/// body cut short by a crash mid-upload and is uploaded again; another header is another lineage at the same TXID
/// (local state created afresh, a database restored before it started) and the replica goes on from a new full file
/// instead of taking a local delta that was never applied to what it holds.
/// </summary>
public readonly record struct ResumeDecision(ulong Position, bool Diverged)
{
    /// <param name="newest">The replica's newest L0 file, null when it has none.</param>
    /// <param name="local">The local L0 file of the newest's TXID (its size and header), null when there is none.</param>
    /// <param name="replicaHeader">The newest file's header, null when it could not be read whole.</param>
    public static ResumeDecision Decide(LtxFileInfo? newest, (long Size, LtxHeader Header)? local, LtxHeader? replicaHeader)
    {
        if (newest is null)
        {
            return new ResumeDecision(0, false);
        }
        if (local is not { } file || newest.MinTxid != newest.MaxTxid)
        {
            return new ResumeDecision(newest.MaxTxid, false);
        }
        if (replicaHeader is { } header && header != file.Header)
        {
            return new ResumeDecision(newest.MaxTxid, true);
        }
        return file.Size == newest.Size && replicaHeader is not null
            ? new ResumeDecision(newest.MaxTxid, false)
            : new ResumeDecision(newest.MinTxid - 1, false);
    }

    /// <summary>Whether the replica's newest file must be read to decide (a local file of its TXID exists).</summary>
    public static bool NeedsReplicaHeader(LtxFileInfo? newest, bool localExists) =>
        newest is not null && localExists && newest.MinTxid == newest.MaxTxid;
}
