using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Storage.Compaction;

/// <summary>
/// Level 9 snapshots: the files of the latest restore plan (newest snapshot, highest levels, L0) merged into one full
/// copy of the database as of the replica's newest TXID, named <c>0000000000000001-&lt;TXID&gt;.ltx</c> as upstream's.
/// Nothing is written when the replica holds no TXID newer than its newest snapshot (the database did not change).
/// </summary>
public sealed class SnapshotCompactor(IReplicaClient client, string scratchDirectory)
{
    /// <returns>The snapshot written, or null when the newest snapshot is already current or the replica is empty.</returns>
    public async Task<LtxFileInfo?> SnapshotAsync(CancellationToken cancellationToken)
    {
        RestorePlan plan;
        try
        {
            plan = await RestorePlanner.PlanAsync(client, RestoreTarget.Latest, cancellationToken);
        }
        catch (NoBackupsException)
        {
            return null;
        }
        if (plan.Files[0].MinTxid != 1 || plan.Files is [{ Level: LtxFileInfo.SnapshotLevel }])
        {
            return null;
        }

        var written = await MergedFileWriter.WriteAsync(
            client, plan.Files, LtxFileInfo.SnapshotLevel, scratchDirectory,
            (file, ct) => client.OpenAsync(file.Level, file.MinTxid, file.MaxTxid, 0, null, ct), cancellationToken);
        CrashSwitch.At(CrashSwitch.SnapshotAfterUpload);
        return written;
    }
}
