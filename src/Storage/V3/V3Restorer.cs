using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Storage.V3;

/// <summary>
/// Restores a Litestream 0.3 backup: the snapshot image, then each WAL index's segments joined (offsets must follow
/// on without a gap) and applied as SQLite's checkpoint would — every committed frame's page written in place, the
/// file cut to the last commit's size. Temp file, fsync, integrity check, rename, as every restore.
/// </summary>
public static class V3Restorer
{
    public static async Task<V3RestoreResult> RestoreAsync(
        IReplicaClient client, V3RestorePlan plan, string outputPath, IntegrityCheckMode integrityCheck, bool overwrite, CancellationToken cancellationToken)
    {
        outputPath = Path.GetFullPath(outputPath);
        return await RestoredFile.WriteAsync(outputPath, integrityCheck, overwrite, async temp =>
        {
            await using (var database = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                await V3WalIndex.DecompressAsync(client, plan.Snapshot.Path, database, cancellationToken);
                V3SnapshotImage.Check(database, plan.Snapshot.Path);
                foreach (var index in plan.Segments.GroupBy(s => s.Index))
                {
                    await ApplyIndexAsync(client, index.ToList(), database, temp + "-wal-" + index.Key.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
                }
                database.Flush(flushToDisk: true);
            }
            return new V3RestoreResult(outputPath, plan.Snapshot.Generation, plan.Segments.Count > 0 ? plan.Segments[^1].Index : plan.Snapshot.Index, plan.Segments.Count);
        });
    }

    private static async Task ApplyIndexAsync(IReplicaClient client, IReadOnlyList<V3WalSegment> segments, FileStream database, string scratch, CancellationToken cancellationToken)
    {
        try
        {
            await using var index = new V3WalIndex(scratch);
            foreach (var segment in segments)
            {
                index.ApplyTo(database, await index.AppendAsync(client, segment, cancellationToken));
            }
        }
        catch (IOException e)
        {
            throw new RestoreException($"{segments[0].Path}: {e.Message}");
        }
    }
}
