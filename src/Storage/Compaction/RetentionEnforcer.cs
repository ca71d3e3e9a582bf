using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Compaction;

/// <summary>
/// Upstream's retention, deleting only what a newer retained file covers so the newest restorable chain is never
/// broken: snapshots older than the snapshot retention (the newest always kept), then L1–L8 files wholly below the
/// newest deleted snapshot; and L0 files already merged into L1 and older than the L0 retention, oldest first,
/// stopping at the first one too recent, the newest L0 file always kept.
/// </summary>
public sealed class RetentionEnforcer(IReplicaClient client, TimeProvider time)
{
    /// <returns>The files deleted.</returns>
    public async Task<IReadOnlyList<LtxFileInfo>> EnforceSnapshotRetentionAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var snapshots = await client.ListAsync(LtxFileInfo.SnapshotLevel, cancellationToken);
        var cutoff = time.GetUtcNow() - retention;
        var expired = snapshots.Take(Math.Max(0, snapshots.Count - 1)).Where(s => s.CreatedAt < cutoff).ToList();
        if (expired.Count == 0)
        {
            return [];
        }
        var floor = expired.Max(s => s.MaxTxid);
        var deleted = new List<LtxFileInfo>(expired);
        for (var level = 1; level < LtxFileInfo.SnapshotLevel; level++)
        {
            var files = await client.ListAsync(level, cancellationToken);
            deleted.AddRange(files.Take(Math.Max(0, files.Count - 1)).Where(f => f.MaxTxid < floor));
        }
        await client.DeleteAsync(deleted, cancellationToken);
        return deleted;
    }

    /// <returns>The files deleted, and when the oldest covered file left becomes old enough (null: none waits).</returns>
    public async Task<(IReadOnlyList<LtxFileInfo> Deleted, DateTimeOffset? Due)> EnforceL0RetentionAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var level1 = await client.ListAsync(1, cancellationToken);
        if (level1.Count == 0)
        {
            return ([], null);
        }
        var covered = level1.Max(f => f.MaxTxid);
        var cutoff = time.GetUtcNow() - retention;
        var level0 = await client.ListAsync(0, cancellationToken);
        var deleted = new List<LtxFileInfo>();
        DateTimeOffset? due = null;
        foreach (var file in level0.Take(level0.Count - 1))
        {
            if (file.MaxTxid > covered || file.CreatedAt >= cutoff)
            {
                due = file.MaxTxid <= covered ? file.CreatedAt + retention : null;
                break;
            }
            deleted.Add(file);
        }
        if (deleted.Count > 0)
        {
            await client.DeleteAsync(deleted, cancellationToken);
        }
        return (deleted, due);
    }
}
