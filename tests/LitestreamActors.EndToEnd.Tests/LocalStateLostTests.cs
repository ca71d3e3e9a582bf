using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The node's local state (<c>.app.db-litestream</c>) is lost while the database and its replica stay, and the replica
/// cannot be reached while the application commits: the node's new local TXIDs pass what the replica holds, so equal
/// TXIDs name different files. When the replica is back, it must go on from a full file, never take a local delta
/// that was not built on what it holds (docs/replication.md, "Starting").
/// </summary>
public sealed class LocalStateLostTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_replica_of_the_lost_lineage_goes_on_from_a_full_file_and_restores_to_the_source()
    {
        using var proxy = new TcpFaultProxy("127.0.0.1", new Uri(TestServers.Require("LSA_S3_ENDPOINT")).Port);
        var direct = TestServers.S3Url("app");
        var host = $"127.0.0.1:{new Uri(TestServers.Require("LSA_S3_ENDPOINT")).Port}";
        var throughProxy = direct.Replace(host, $"127.0.0.1:{proxy.Port}", StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(host), Uri.EscapeDataString($"127.0.0.1:{proxy.Port}"), StringComparison.Ordinal);
        Assert.NotEqual(direct, throughProxy);
        var db = _dir.File("app.db");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      url: \"{throughProxy}\"\n");
        var random = new Random(70);
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(random, 30));
        using (var node = Started(config))
        {
            // The first file first: a commit landing before it would share its TXID.
            Sync(config, db);
            for (var i = 0; i < 3; i++)
            {
                Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 10, 500) + "COMMIT;\n");
                Sync(config, db);
            }
            Assert.Equal(0, node.Stop());
        }
        var meta = _dir.File(".app.db-litestream");
        var held = ReplicaMaxTxid(direct);
        Assert.True(held >= 4, $"the replica holds TXID {held}");
        Directory.Delete(meta, recursive: true);

        proxy.Cut();
        using (var node = Started(config))
        {
            for (var i = 0; ReplicaFiles.MaxL0Txid(meta) <= held + 1; i++)
            {
                Assert.True(i < 100, node.Output);
                Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 10, 500) + "COMMIT;\n");
                Thread.Sleep(300);
            }
            proxy.Restore();
            Sync(config, db);
            Assert.Equal(0, node.Stop());
            Assert.Contains("continuing from a new full L0 file", node.Output, StringComparison.Ordinal);
        }
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump(direct, _dir.File("restored.db")));
    }

    public void Dispose() => _dir.Dispose();

    private static ReplicateProcess Started(string config)
    {
        var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        return node;
    }

    private static ulong ReplicaMaxTxid(string url)
    {
        var listing = LitestreamCli.Run("ltx", "-json", url).EnsureSuccess("ltx -json");
        return System.Text.Json.JsonDocument.Parse(listing.StandardOutput).RootElement.EnumerateArray()
            .Select(f => Convert.ToUInt64(f.GetProperty("max_txid").GetString(), 16)).Max();
    }

    private static void Sync(string config, string db) =>
        LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "120", db).EnsureSuccess("sync -wait");
}
