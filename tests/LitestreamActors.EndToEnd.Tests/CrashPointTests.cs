using System.Globalization;
using LitestreamActors.Storage;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The node killed (SIGKILL, through the crash switch) at a named step of its work while a .NET writer commits: after a
/// restart commits go on, the replica's L0 chain is contiguous, every TXID it holds restores to a state whose ledger
/// agrees with its rows, the latest restore equals the source's <c>.dump</c>, and Litestream 0.5.17's reader reads it.
/// </summary>
[Collection(nameof(WriterMatrixCollection))]
public sealed class CrashPointTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> Points() => [.. CrashSwitch.Points];

    [Theory]
    [MemberData(nameof(Points))]
    public async Task After_a_crash_at_each_step_nothing_is_lost_and_the_chain_goes_on(string point)
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        // Checkpoints at 50 pages and level 1 every 2 s, so the checkpoint's steps and pruning come up within seconds.
        File.WriteAllText(config, $"levels:\n  - interval: 2s\ndbs:\n  - path: {db}\n    monitor-interval: 250ms\n    min-checkpoint-page-count: 50\n"
            + $"    replica:\n      path: {replica}\n      sync-interval: 100ms\n");
        Sqlite3.Execute(db, Ledger.Schema);
        // One writer throughout: it commits while the node dies, while it is down and after it restarts.
        var writing = DotNetLedgerWriter.RunAsync(db, new LedgerLoad(1, 800, 20, 200, Rate: 100));
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
            LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "120", db).EnsureSuccess("sync -wait\n" + node.Output);
            Assert.True(node.Stop() == 0, node.Output);
        }

        Assert.Null(Ledger.Problem(db));
        var files = ReplicaFiles.List(replica, 0).OrderBy(f => f.Min).ToList();
        Assert.Equal(1UL, files[0].Min);
        Assert.All(files.Zip(files.Skip(1)), pair => Assert.True(pair.Item2.Min == pair.Item1.Max + 1, $"a gap after {pair.Item1.Max:x16}: {pair.Item2.Min:x16}"));
        for (var txid = 1UL; txid <= files[^1].Max; txid++)
        {
            var output = _dir.File($"at-{txid:x16}.db");
            LitestreamCli.Run("restore", "-txid", txid.ToString("x16", CultureInfo.InvariantCulture), "-o", output, "file://" + replica).EnsureSuccess($"restore -txid {txid:x16}");
            Assert.True(Ledger.Problem(output) is null, $"TXID {txid:x16} of {files[^1].Max:x16}: {Ledger.Problem(output)}");
        }
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("latest.db")));
        Assert.Equal(Sqlite3.DumpDigest(db), LitestreamVfs.DumpDigest(replica));
    }

    public void Dispose() => _dir.Dispose();
}
