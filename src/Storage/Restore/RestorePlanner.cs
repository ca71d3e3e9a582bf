using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// Chooses the files of a restore as upstream's CalcRestorePlan does: the newest admissible snapshot, then repeatedly
/// the file from the highest levels down that reaches furthest from the current TXID, so a compacted replica
/// restores from few files.
/// </summary>
public static class RestorePlanner
{
    public const string NoBackupsMessage = "no matching backup files available";

    public static async Task<RestorePlan> PlanAsync(IReplicaClient client, RestoreTarget target, CancellationToken cancellationToken)
    {
        var levels = new IReadOnlyList<LtxFileInfo>[LtxFileInfo.MaxLevel + 1];
        for (var level = 0; level <= LtxFileInfo.MaxLevel; level++)
        {
            levels[level] = target.Timestamp is null
                ? await client.ListAsync(level, cancellationToken)
                : await client.ListWithTimestampsAsync(level, cancellationToken);
        }
        return Plan(levels, target);
    }

    /// <summary>Plans from listings indexed by level (0..9).</summary>
    public static RestorePlan Plan(IReadOnlyList<IReadOnlyList<LtxFileInfo>> levels, RestoreTarget target)
    {
        var plan = new List<LtxFileInfo>();
        var snapshot = levels[LtxFileInfo.SnapshotLevel].LastOrDefault(target.Admits);
        ulong current = 0;
        if (snapshot is not null)
        {
            plan.Add(snapshot);
            current = snapshot.MaxTxid;
        }

        while (target.Txid is not { } wanted || current < wanted)
        {
            var next = BestExtension(levels, target, current);
            if (next is null)
            {
                break;
            }
            plan.Add(next);
            current = next.MaxTxid;
        }

        if (plan.Count == 0 && levels.SelectMany(l => l).Where(target.Admits).MinBy(f => f.MinTxid) is { } earliest)
        {
            throw new RestoreException(
                $"no snapshot to start from: the replica's history begins at TXID {Txid.Format(earliest.MinTxid)} ({earliest.DisplayName})");
        }
        if (plan.Count == 0)
        {
            throw new NoBackupsException(target switch
            {
                { Txid: { } txid } => $"transaction {Txid.Format(txid)} not available: {NoBackupsMessage}",
                { Timestamp: { } ts } => $"no backup files before {ts.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}: {NoBackupsMessage}",
                _ => NoBackupsMessage,
            });
        }
        if (plan[0].MinTxid != 1)
        {
            throw new RestoreException(
                $"no snapshot to start from: the replica's history begins at TXID {Txid.Format(plan[0].MinTxid)} ({plan[0].DisplayName})");
        }
        if (target.Txid is { } requested && current != requested)
        {
            throw new RestoreException(
                $"transaction {Txid.Format(requested)} not available: it is not the end of any file in the replica (restorable up to {Txid.Format(current)} along this path)");
        }
        if (target.IsLatest)
        {
            var beyond = levels.Take(LtxFileInfo.SnapshotLevel).SelectMany(l => l).Where(f => f.MaxTxid > current).MinBy(f => f.MinTxid);
            if (beyond is not null)
            {
                throw new RestoreException(
                    $"non-contiguous ltx files: gap after TXID {Txid.Format(current)}, next file is {beyond.DisplayName}");
            }
        }
        return new RestorePlan(plan);
    }

    /// <summary>The files that carry a database at <paramref name="current"/> forward as far as the replica reaches (levels 8…0).</summary>
    public static IReadOnlyList<LtxFileInfo> Continuation(IReadOnlyList<IReadOnlyList<LtxFileInfo>> levels, ulong current)
    {
        var files = new List<LtxFileInfo>();
        while (BestExtension(levels, RestoreTarget.Latest, current) is { } next)
        {
            files.Add(next);
            current = next.MaxTxid;
        }
        return files;
    }

    private static LtxFileInfo? BestExtension(IReadOnlyList<IReadOnlyList<LtxFileInfo>> levels, RestoreTarget target, ulong current)
    {
        LtxFileInfo? best = null;
        for (var level = LtxFileInfo.SnapshotLevel - 1; level >= 0; level--)
        {
            foreach (var file in levels[level])
            {
                if (file.MinTxid > current + 1 || file.MaxTxid <= current || !target.Admits(file))
                {
                    continue;
                }
                if (best is null || Better(file, best))
                {
                    best = file;
                }
            }
        }
        return best;
    }

    // Greatest reach wins; then the smaller start, the higher level, the older file.
    private static bool Better(LtxFileInfo candidate, LtxFileInfo best) =>
        candidate.MaxTxid != best.MaxTxid ? candidate.MaxTxid > best.MaxTxid
        : candidate.MinTxid != best.MinTxid ? candidate.MinTxid < best.MinTxid
        : candidate.Level != best.Level ? candidate.Level > best.Level
        : candidate.CreatedAt < best.CreatedAt;
}
