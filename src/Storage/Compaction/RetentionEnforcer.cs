using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Compaction;

/// <summary>
/// Upstream's retention, deleting only what a newer retained file covers so the newest restorable chain is never
/// broken: snapshots older than the snapshot retention (the newest always kept), then L1–L8 files wholly below the
/// newest deleted snapshot; and a level's files covered by a higher level and older than that level's retention.
/// </summary>
public sealed class RetentionEnforcer(IReplicaClient client, TimeProvider time)
{
    /// <returns>The files deleted.</returns>
    public async Task<IReadOnlyList<LtxFileInfo>> EnforceSnapshotRetentionAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var snapshots = await client.ListAsync(LtxFileInfo.SnapshotLevel, cancellationToken);
        var cutoff = time.GetUtcNow() - retention;
        // Oldest first, up to the first one still inside retention: after the clock went back a newer snapshot can carry
        // an older time, and it must not go while an older one stays.
        var expired = snapshots.Take(Math.Max(0, snapshots.Count - 1)).TakeWhile(s => s.CreatedAt < cutoff).ToList();
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

    /// <summary>
    /// Deletes a level's files older than <paramref name="retention"/> whose every TXID a file at one of
    /// <paramref name="coveringLevels"/> holds, oldest first, stopping at the first one not covered or too recent so
    /// what is left stays contiguous, and only through the end of a covering file, so every file left can still be
    /// restored to; the newest file of the level is always kept. Upstream's L0 cleanup is level 0
    /// covered by level 1; ours adds any level covered by the next one or a snapshot.
    /// </summary>
    /// <returns>The files deleted, and when the oldest covered file left becomes old enough (null: none waits).</returns>
    /// <param name="higherLevels">Every level above, whose file ends a restore can continue from.</param>
    public async Task<(IReadOnlyList<LtxFileInfo> Deleted, DateTimeOffset? Due)> EnforceLevelRetentionAsync(
        int level, TimeSpan retention, IReadOnlyList<int> coveringLevels, IReadOnlyList<int> higherLevels, CancellationToken cancellationToken)
    {
        ulong covered = 0;
        var boundaries = new HashSet<ulong>();
        foreach (var higher in higherLevels.Union(coveringLevels))
        {
            var files = await client.ListAsync(higher, cancellationToken);
            if (coveringLevels.Contains(higher) && files.Count > 0)
            {
                covered = Math.Max(covered, files.Max(f => f.MaxTxid));
            }
            boundaries.UnionWith(files.Select(f => f.MaxTxid));
        }
        if (covered == 0)
        {
            return ([], null);
        }
        var cutoff = time.GetUtcNow() - retention;
        var candidates = await client.ListAsync(level, cancellationToken);
        var deleted = new List<LtxFileInfo>();
        DateTimeOffset? due = null;
        foreach (var file in candidates.Take(candidates.Count - 1))
        {
            if (file.MaxTxid > covered || file.CreatedAt >= cutoff)
            {
                due = file.MaxTxid <= covered ? file.CreatedAt + retention : null;
                break;
            }
            deleted.Add(file);
        }
        // Stop at the end of a higher level's file: a file kept after a deleted one must start where such a file ends,
        // or its end could no longer be restored to.
        while (deleted.Count > 0 && !boundaries.Contains(deleted[^1].MaxTxid))
        {
            deleted.RemoveAt(deleted.Count - 1);
        }
        if (deleted.Count > 0)
        {
            await client.DeleteAsync(deleted, cancellationToken);
        }
        return (deleted, due);
    }
}
