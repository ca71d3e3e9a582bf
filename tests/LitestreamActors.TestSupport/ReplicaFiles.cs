using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.TestSupport;

public static class ReplicaFiles
{
    /// <summary>The highest TXID among a file replica's L0 files (0 when none).</summary>
    public static ulong MaxL0Txid(string replicaDirectory) => MaxTxid(replicaDirectory, 0);

    /// <summary>The highest TXID among a file replica's files of one level (0 when none).</summary>
    public static ulong MaxTxid(string replicaDirectory, int level) => List(replicaDirectory, level).Select(f => f.Max).DefaultIfEmpty(0UL).Max();

    /// <summary>The TXID ranges of a file replica's files of one level, read from their names.</summary>
    public static IReadOnlyList<(ulong Min, ulong Max)> List(string replicaDirectory, int level)
    {
        var directory = Path.Combine(replicaDirectory, "ltx", level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.ltx")
                .Select(p => LtxFileName.TryParse(Path.GetFileName(p), out var min, out var max) ? (min, max) : (0UL, 0UL))
                .Where(f => f.Item2 > 0)
                .ToList()
            : [];
    }

    /// <summary>
    /// What breaks a file replica's chain, or null: the levels together must hold every TXID from 1 to the newest with no
    /// gap, and the L0 files left (retention removes the oldest) must follow one another with no gap.
    /// </summary>
    public static string? ChainProblem(string replicaDirectory)
    {
        var all = Enumerable.Range(0, LtxFileInfo.MaxLevel + 1).SelectMany(level => List(replicaDirectory, level)).OrderBy(f => f.Min).ToList();
        if (all.Count == 0)
        {
            return "the replica holds no file";
        }
        var reached = 0UL;
        foreach (var (min, max) in all)
        {
            if (min > reached + 1)
            {
                return $"no file holds TXIDs {reached + 1:x16}–{min - 1:x16}";
            }
            reached = Math.Max(reached, max);
        }
        var l0 = List(replicaDirectory, 0).OrderBy(f => f.Min).ToList();
        foreach (var (before, after) in l0.Zip(l0.Skip(1)))
        {
            if (after.Min != before.Max + 1)
            {
                return $"L0 has a gap after {before.Max:x16}: next starts at {after.Min:x16}";
            }
        }
        return null;
    }

    /// <summary>
    /// Every TXID a restore can stop at, in order: the end of any file of any level from the oldest snapshot's TXID on
    /// (snapshot retention leaves files older than every snapshot kept that no restore starts from).
    /// </summary>
    public static IReadOnlyList<ulong> RestorableTxids(string replicaDirectory)
    {
        var floor = List(replicaDirectory, LtxFileInfo.SnapshotLevel).Select(f => f.Max).DefaultIfEmpty(0UL).Min();
        return [.. Enumerable.Range(0, LtxFileInfo.MaxLevel + 1).SelectMany(level => List(replicaDirectory, level))
            .Select(f => f.Max).Where(txid => txid >= floor).Distinct().Order()];
    }

    /// <summary>
    /// Restores a file replica at a TXID in this process, through the same planner and restorer as <c>litestream
    /// restore</c>: for tests that restore at every TXID, where a process per restore would cost minutes.
    /// </summary>
    public static async Task RestoreInProcessAsync(string replicaDirectory, ulong txid, string output)
    {
        await using var client = new Storage.Replica.File.FileReplicaClient(replicaDirectory);
        var plan = await Storage.Restore.RestorePlanner.PlanAsync(client, new Storage.Restore.RestoreTarget(txid, null), CancellationToken.None);
        await Storage.Restore.DatabaseRestorer.RestoreAsync(client, plan, output, Storage.Restore.IntegrityCheckMode.None, overwrite: true, CancellationToken.None);
    }

    /// <summary>
    /// Restores every TXID the replica holds (<see cref="RestorableTxids"/>) in this process into <paramref name="scratch"/>
    /// and checks its ledger: the first TXID whose restore disagrees with it, with the disagreement, or null.
    /// </summary>
    public static async Task<string?> FirstInconsistentTxidAsync(string replicaDirectory, string scratch)
    {
        foreach (var txid in RestorableTxids(replicaDirectory))
        {
            await RestoreInProcessAsync(replicaDirectory, txid, scratch);
            if (Ledger.Problem(scratch) is { } problem)
            {
                return $"TXID {txid:x16}: {problem}";
            }
        }
        File.Delete(scratch);
        return null;
    }
}
