using LitestreamActors.Storage;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The node killed (SIGKILL, through the crash switch) at a named step of its work while a .NET writer commits: after a
/// restart commits go on, the replica's levels hold every TXID with no gap, every TXID a restore can stop at restores to
/// a state whose ledger agrees with its rows, the latest restore equals the source's <c>.dump</c>, and Litestream
/// 0.5.17's reader reads it. <c>restore</c> and <c>restore -f</c> killed midway leave nothing wrong behind either.
/// </summary>
[Collection(nameof(WriterMatrixCollection))]
public sealed class CrashPointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> NodePoints() => [.. CrashSwitch.NodePoints];

    [Theory]
    [MemberData(nameof(NodePoints))]
    public async Task After_a_crash_at_each_step_nothing_is_lost_and_the_chain_goes_on(string point)
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        // Every step comes up within seconds: checkpoints at 50 pages (all TRUNCATE for that point), level 1 every second,
        // a snapshot every second kept 3 s, L0 files removed 1 s after level 1 holds them.
        var checkpoints = point == CrashSwitch.CheckpointTruncated ? "    min-checkpoint-page-count: 1000\n    truncate-page-n: 50\n" : "    min-checkpoint-page-count: 50\n";
        File.WriteAllText(config, "levels:\n  - interval: 1s\nsnapshot:\n  interval: 1s\n  retention: 3s\nl0-retention: 1s\nl0-retention-check-interval: 1s\n"
            + $"dbs:\n  - path: {db}\n    monitor-interval: 250ms\n{checkpoints}    replica:\n      path: {replica}\n      sync-interval: 100ms\n");
        Sqlite3.Execute(db, Ledger.Schema);
        // One writer throughout: it commits while the node dies, while it is down and after it restarts.
        var writing = DotNetLedgerWriter.RunAsync(db, new LedgerLoad(1, 1200, 20, 200, Rate: 150));
        using (var crashing = ReplicateProcess.StartWith(new Dictionary<string, string> { [CrashSwitch.Variable] = point + ":3" }, "-config", config))
        {
            Eventually.True(() => crashing.HasExited, TimeSpan.FromSeconds(60), () => $"the node did not crash at {point}\n{crashing.Output}");
            Assert.Equal(137, crashing.ExitCode());
            Assert.Contains($"crash switch: killed at {point}, pass 3", crashing.Output, StringComparison.Ordinal);
        }
        Assert.False(writing.IsCompleted, "the writer ended before the node crashed: nothing committed after the crash");
        using (var node = ReplicateProcess.Start("-config", config))
        {
            await writing;
            // The writer can end before the restarted node listens on its control socket.
            Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
            LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "120", db).EnsureSuccess("sync -wait\n" + node.Output);
            Assert.True(node.Stop() == 0, node.Output);
        }

        Assert.Null(Ledger.Problem(db));
        Assert.Null(ReplicaFiles.ChainProblem(replica));
        Assert.Null(await ReplicaFiles.FirstInconsistentTxidAsync(replica, _dir.File("at-txid.db")));
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("latest.db")));
        Assert.Equal(Sqlite3.DumpDigest(db), LitestreamVfs.DumpDigest(replica));
    }

    [Fact]
    public async Task A_restore_killed_midway_leaves_no_output_and_the_next_one_completes()
    {
        var (db, replica) = await ReplicatedAsync(300);
        var output = _dir.File("restored.db");
        using (var restore = ReplicateProcess.StartCommandWith(
            new Dictionary<string, string> { [CrashSwitch.Variable] = CrashSwitch.RestoreMid + ":2" }, "restore", "-o", output, "file://" + replica))
        {
            Assert.Equal(137, restore.ExitCode());
            Assert.Contains($"killed at {CrashSwitch.RestoreMid}, pass 2", restore.Output, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(output), "a killed restore left a database at the output path");

        LitestreamCli.Run("restore", "-o", output, "file://" + replica).EnsureSuccess("restore after the killed one");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(output));
        Assert.False(File.Exists(output + ".tmp"), "the completed restore left the killed one's temp file");
    }

    [Fact]
    public async Task A_follower_killed_between_applying_a_file_and_recording_it_resumes_to_the_source()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var output = _dir.File("follower.db");
        Sqlite3.Execute(db, Ledger.Schema);
        using var replicate = ReplicateProcess.Start("-config", Config(db, replica));
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        var writing = DotNetLedgerWriter.RunAsync(db, new LedgerLoad(1, 1500, 20, 200, Rate: 100));
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 3, TimeSpan.FromSeconds(60), () => replicate.Output);
        using (var follow = ReplicateProcess.StartCommandWith(
            new Dictionary<string, string> { [CrashSwitch.Variable] = CrashSwitch.FollowBeforeRecord + ":2" },
            "restore", "-f", "-follow-interval", "100ms", "-o", output, "file://" + replica))
        {
            Eventually.True(() => follow.HasExited, TimeSpan.FromSeconds(60), () => "the follower did not crash\n" + follow.Output);
            Assert.Equal(137, follow.ExitCode());
        }
        Assert.False(writing.IsCompleted, "the writer ended before the follower crashed");

        using var resumed = ReplicateProcess.StartRestoreFollow("-follow-interval", "100ms", "-o", output, "file://" + replica);
        await writing;
        var expected = Sqlite3.Dump(db);
        Eventually.True(() => Sqlite3.Dump(output) == expected, TimeSpan.FromSeconds(60), () => resumed.Output);
        Assert.Equal(0, resumed.Stop());
        Assert.Contains("resuming follow", resumed.Output, StringComparison.Ordinal);
        Assert.Null(Ledger.Problem(output));
        Assert.Equal(0, replicate.Stop());
    }

    // A database with a ledger written through a running node, which is then stopped; the replica holds many L0 files.
    private async Task<(string Db, string Replica)> ReplicatedAsync(int transactions)
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        Sqlite3.Execute(db, Ledger.Schema);
        using var node = ReplicateProcess.Start("-config", Config(db, replica));
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => node.Output);
        await DotNetLedgerWriter.RunAsync(db, new LedgerLoad(1, transactions, 20, 200, Rate: 100));
        Assert.Equal(0, node.Stop());
        Assert.True(ReplicaFiles.List(replica, 0).Count > 2, "the replica holds too few files to kill a restore between two");
        return (db, replica);
    }

    private string Config(string db, string replica)
    {
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 250ms\n    replica:\n      path: {replica}\n      sync-interval: 100ms\n");
        return config;
    }

    public void Dispose() => _dir.Dispose();
}
