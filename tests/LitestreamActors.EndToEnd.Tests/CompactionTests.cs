using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Compaction levels at short intervals (1s, 3s, 6s) and snapshots every 5s while a writer commits: the replica
/// holds L1–L3 and L9, every TXID restores to the source's <c>.dump</c> at that moment, the latest restore is the
/// newest snapshot alone, and Litestream 0.5.17's reader reads the compacted replica.
/// </summary>
public sealed class CompactionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Levels_compact_on_their_intervals_and_every_txid_restores_from_them()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config,
            $"levels:\n  - interval: 1s\n  - interval: 3s\n  - interval: 6s\nsnapshot:\n  interval: 5s\ndbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {replica}\n");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(20), 20));

        using var replicate = ReplicateProcess.Start("-config", config);
        var dumps = new Dictionary<ulong, string>();
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        dumps[ReplicaFiles.MaxL0Txid(replica)] = Sqlite3.Dump(db);
        var random = new Random(21);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(14))
        {
            var before = ReplicaFiles.MaxL0Txid(replica);
            Sqlite3.Execute(db, "BEGIN;\n" + (random.Next(4) == 0 ? "DELETE FROM t WHERE id % 5 = 1;\n" : string.Empty) + RandomRows.Inserts(random, 15, 600) + "COMMIT;\n");
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > before, TimeSpan.FromSeconds(30), () => replicate.Output);
            dumps[ReplicaFiles.MaxL0Txid(replica)] = Sqlite3.Dump(db);
        }
        var last = dumps.Keys.Max();
        Eventually.True(() => ReplicaFiles.MaxTxid(replica, 3) == last && ReplicaFiles.MaxTxid(replica, 9) == last, TimeSpan.FromSeconds(30), () => replicate.Output);
        Assert.Equal(0, replicate.Stop());

        foreach (var level in new[] { 1, 2, 3, 9 })
        {
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(replica, "ltx", level.ToString(System.Globalization.CultureInfo.InvariantCulture)), "*.ltx"));
        }
        foreach (var (txid, dump) in dumps)
        {
            var output = _dir.File($"restored-{txid:x}.db");
            LitestreamCli.Run("restore", "-txid", txid.ToString("x16", System.Globalization.CultureInfo.InvariantCulture), "-o", output, "file://" + replica)
                .EnsureSuccess($"restore -txid {txid:x}");
            Assert.True(dump == Sqlite3.Dump(output), $"TXID {txid:x} restores to a different database");
        }
        var plan = JsonDocument.Parse(LitestreamCli.Run("restore", "-dry-run", "-json", "-o", _dir.File("plan.db"), "file://" + replica).EnsureSuccess("dry run").StandardOutput);
        var planned = plan.RootElement.GetProperty("files");
        Assert.True(planned.GetArrayLength() == 1 && planned[0].GetProperty("level").GetInt32() == 9, plan.RootElement.ToString());
        Assert.Equal(dumps[last], LitestreamVfs.Dump(replica));
    }

    [Fact]
    public void Replicate_once_with_force_snapshot_leaves_a_snapshot_that_restores_alone()
    {
        var db = _dir.File("once.db");
        var replica = _dir.File("once-replica");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(40), 50));
        Assert.Equal(2, LitestreamCli.Run("replicate", "-force-snapshot", db, "file://" + replica).ExitCode);

        LitestreamCli.Run("replicate", "-once", "-force-snapshot", db, "file://" + replica).EnsureSuccess("replicate -once -force-snapshot");
        var plan = JsonDocument.Parse(LitestreamCli.Run("restore", "-dry-run", "-json", "-o", _dir.File("p.db"), "file://" + replica).EnsureSuccess("dry run").StandardOutput);
        var planned = plan.RootElement.GetProperty("files");
        Assert.True(planned.GetArrayLength() == 1 && planned[0].GetProperty("level").GetInt32() == 9, plan.RootElement.ToString());
        var restored = _dir.File("once-restored.db");
        LitestreamCli.Run("restore", "-o", restored, "file://" + replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
    }

    public void Dispose() => _dir.Dispose();
}
