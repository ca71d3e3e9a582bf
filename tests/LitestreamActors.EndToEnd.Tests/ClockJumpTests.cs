using LitestreamActors.Storage.Replica;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The wall clock of a running node jumps a day forward, then an hour back (libfaketime under the real process; the
/// monotonic clock is left alone, as an NTP step leaves it) while an application commits and snapshots, compaction and
/// retention run every second: nothing acknowledged is lost, TXIDs stay in order with no gap, and every TXID the
/// replica holds restores to a consistent ledger.
/// </summary>
public sealed class ClockJumpTests : IDisposable
{
    private const string FakeTime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_day_forward_then_an_hour_back_under_a_running_node_loses_nothing()
    {
        Assert.True(File.Exists(FakeTime), $"{FakeTime} is missing: scripts/install-test-tools.sh installs libfaketime");
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var offset = _dir.File("clock-offset");
        File.WriteAllText(offset, "+0\n");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, "levels:\n  - interval: 1s\nsnapshot:\n  interval: 2s\n  retention: 10s\nl0-retention: 1s\nl0-retention-check-interval: 1s\n"
            + $"dbs:\n  - path: {db}\n    monitor-interval: 250ms\n    replica:\n      path: {replica}\n      sync-interval: 100ms\n");
        Sqlite3.Execute(db, Ledger.Schema);
        var clock = new Dictionary<string, string>
        {
            ["LD_PRELOAD"] = FakeTime,
            ["FAKETIME_TIMESTAMP_FILE"] = offset,
            ["FAKETIME_NO_CACHE"] = "1",
            ["FAKETIME_DONT_FAKE_MONOTONIC"] = "1",
        };
        using (var node = ReplicateProcess.StartWith(clock, "-config", config))
        {
            Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
            var writing = DotNetLedgerWriter.RunAsync(db, new LedgerLoad(1, 1000, 20, 200, Rate: 100));
            await Task.Delay(3000);
            File.WriteAllText(offset, "+1d\n");
            await Task.Delay(3000);
            File.WriteAllText(offset, "+23h\n");
            await writing;
            await Task.Delay(2500);
            LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "60", db).EnsureSuccess("sync -wait\n" + node.Output);
            Assert.True(node.Stop() == 0, node.Output);
            var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(node.Output.Contains($"time={tomorrow}T", StringComparison.Ordinal), "the node's clock never jumped:\n" + node.Output);
        }

        Assert.Null(Ledger.Problem(db));
        Assert.Null(ReplicaFiles.ChainProblem(replica));
        Assert.NotEmpty(ReplicaFiles.List(replica, LtxFileInfo.SnapshotLevel));
        Assert.Null(await ReplicaFiles.FirstInconsistentTxidAsync(replica, _dir.File("at-txid.db")));
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("latest.db")));
    }

    public void Dispose() => _dir.Dispose();
}
