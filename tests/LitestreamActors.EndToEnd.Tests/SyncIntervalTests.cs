using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// <c>sync-interval</c> as upstream's: the first change after an idle spell is uploaded at once, later ones wait for
/// the interval and then go together; <c>sync -wait</c> does not wait for it; the replica restores exactly.
/// </summary>
public sealed class SyncIntervalTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Random _random = new(2);

    [Fact]
    public void Uploads_wait_for_the_interval_except_the_first_and_an_explicit_sync()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {replica}\n      sync-interval: 1m\n");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(_random, 5));
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > 0, TimeSpan.FromSeconds(30), () => "the first change was not uploaded at once\n" + node.Output);
        var first = ReplicaFiles.MaxL0Txid(replica);

        // A minute has not passed: ten commits, each captured into its own L0 file, stay local.
        for (var i = 0; i < 10; i++)
        {
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(_random, 3, 100) + "COMMIT;\n");
            Thread.Sleep(300);
        }
        Eventually.True(() => LocalL0Files(db) >= 5, TimeSpan.FromSeconds(20), () => "the commits were not captured\n" + node.Output);
        Thread.Sleep(2000);
        Assert.Equal(first, ReplicaFiles.MaxL0Txid(replica));

        // sync -wait does not wait out the interval: every captured file goes up in one round.
        LitestreamCli.Run("sync", "-config", config, "-wait", db).EnsureSuccess("sync -wait\n" + node.Output);
        Assert.True(ReplicaFiles.List(replica, 0).Count >= 6, string.Join(", ", ReplicaFiles.List(replica, 0)));
        Assert.Equal(0, node.Stop());
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("restored.db")));
    }

    public void Dispose() => _dir.Dispose();

    private static int LocalL0Files(string db)
    {
        var local = Path.Combine(Path.GetDirectoryName(db)!, "." + Path.GetFileName(db) + "-litestream");
        return Directory.Exists(local) ? Directory.GetFiles(local, "*.ltx", SearchOption.AllDirectories).Length : 0;
    }
}
