using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Retention at short intervals (L0 kept 2s after level 1 covers it, snapshots every 4s kept 6s) while a writer
/// commits for 20 s: old L0 files and snapshots go, the newest of each stays, and every restore point left from the
/// oldest kept snapshot on still restores to the source's <c>.dump</c> at that moment.
/// </summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Old_files_are_deleted_and_everything_inside_retention_still_restores()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config,
            "levels:\n  - interval: 1s\n  - interval: 3s\nsnapshot:\n  interval: 4s\n  retention: 6s\nl0-retention: 2s\nl0-retention-check-interval: 1s\n"
            + $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {replica}\n");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(30), 20));

        using var replicate = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        var dumps = new Dictionary<ulong, string>();
        var random = new Random(31);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var before = ReplicaFiles.MaxL0Txid(replica);
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 10, 400) + "COMMIT;\n");
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > before, TimeSpan.FromSeconds(30), () => replicate.Output);
            dumps[ReplicaFiles.MaxL0Txid(replica)] = Sqlite3.Dump(db);
            Thread.Sleep(150);
        }
        var last = dumps.Keys.Max();
        Eventually.True(() => ReplicaFiles.List(replica, 9).Count >= 1 && ReplicaFiles.List(replica, 0).Count < dumps.Count / 2, TimeSpan.FromSeconds(30), () => replicate.Output);
        Assert.Equal(0, replicate.Stop());

        var snapshots = ReplicaFiles.List(replica, 9);
        Assert.InRange(snapshots.Count, 1, 3);
        Assert.Contains("retention replica=", replicate.Output, StringComparison.Ordinal);
        // Restore points left: the end of every compacted file from the oldest kept snapshot on. (An L0 file past
        // l0-retention goes once level 1 covers it, and with it the TXIDs inside a level 1 file, as upstream's.)
        var oldestKept = snapshots.Min(s => s.Max);
        var ends = Enumerable.Range(1, 9).SelectMany(level => ReplicaFiles.List(replica, level)).Select(f => f.Max).ToHashSet();
        var points = dumps.Where(d => d.Key >= oldestKept && ends.Contains(d.Key)).ToList();
        Assert.NotEmpty(points);
        var latest = _dir.File("latest.db");
        LitestreamCli.Run("restore", "-o", latest, "file://" + replica).EnsureSuccess("restore latest");
        Assert.Equal(dumps[last], Sqlite3.Dump(latest));
        foreach (var (txid, dump) in points)
        {
            var output = _dir.File($"restored-{txid:x}.db");
            var restore = LitestreamCli.Run("restore", "-txid", txid.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), "-o", output, "file://" + replica);
            Assert.True(restore.ExitCode == 0, $"restore -txid {txid:x}: {restore.StandardError} replica: "
                + string.Join(" | ", Enumerable.Range(0, 10).Select(l => $"L{l}: " + string.Join(' ', ReplicaFiles.List(replica, l).Select(f => $"{f.Min:x}-{f.Max:x}")))));
            Assert.True(dump == Sqlite3.Dump(output), $"TXID {txid:x} restores to a different database");
        }
    }

    public void Dispose() => _dir.Dispose();
}
