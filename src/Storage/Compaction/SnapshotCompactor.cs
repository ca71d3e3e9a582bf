using LitestreamActors.Storage.Ltx;
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

        Directory.CreateDirectory(scratchDirectory);
        var scratch = Path.Combine(scratchDirectory, $"snapshot-{Guid.NewGuid():N}.ltx.tmp");
        var inputs = new List<LtxCompactor.Input>();
        try
        {
            foreach (var file in plan.Files)
            {
                inputs.Add(new LtxCompactor.Input(await client.OpenAsync(file.Level, file.MinTxid, file.MaxTxid, 0, null, cancellationToken), file.DisplayName));
            }
            await using var output = new FileStream(scratch, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            var header = LtxCompactor.Compact(inputs, output);
            output.Position = 0;
            return await client.WriteAsync(LtxFileInfo.SnapshotLevel, header.MinTxid, header.MaxTxid, output, header.Timestamp, cancellationToken);
        }
        finally
        {
            foreach (var input in inputs)
            {
                await input.Stream.DisposeAsync();
            }
            File.Delete(scratch);
        }
    }
}
