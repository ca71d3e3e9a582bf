using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// One replicating process per database on a machine: a second <c>replicate</c> (or <c>-once</c>) for a database
/// another local node replicates says which process holds it and exits 1, writing nothing; once the first stops,
/// the next one replicates.
/// </summary>
public sealed class LocalLockTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_second_node_for_the_same_database_is_refused_with_the_holder()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 200ms\n    replica:\n      path: {replica}\n");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(71), 20));
        using (var first = ReplicateProcess.Start("-config", config))
        {
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => first.Output);
            foreach (var args in new[] { new[] { "replicate", "-config", config }, ["replicate", "-once", db, "file://" + _dir.File("other")] })
            {
                var second = LitestreamCli.Run(args);
                Assert.Equal(1, second.ExitCode);
                Assert.Matches($"already replicated by process [0-9]+ \\(.*\\) on this machine \\(lock {_dir.File(".app.db-litestream/lock")}\\)", second.StandardError);
            }
            Assert.False(Directory.Exists(_dir.File("other")));
            Assert.Equal(0, first.Stop());
        }
        Sqlite3.Execute(db, RandomRows.Inserts(new Random(72), 5));
        LitestreamCli.Run("replicate", "-once", "-config", config).EnsureSuccess("replicate -once after the first stopped");
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("restored.db")));
    }

    public void Dispose() => _dir.Dispose();
}
