using System.Text;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// 300 databases in one config, two per directory: 150 directories need more WAL watchers than the per-user inotify
/// limit (128 here) allows, so some fall back to polling with one warning, and every database still replicates.
/// </summary>
public sealed class ManyDatabasesTests : IDisposable
{
    private const int Directories = 150;
    private const int PerDirectory = 2;
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Three_hundred_databases_replicate_with_shared_watchers_and_polling_beyond_the_limit()
    {
        var yaml = new StringBuilder("dbs:\n");
        var databases = new List<(string Db, string Replica)>();
        for (var d = 0; d < Directories; d++)
        {
            var directory = Path.Combine(_dir.Path, $"dir{d:000}");
            Directory.CreateDirectory(directory);
            for (var i = 0; i < PerDirectory; i++)
            {
                var db = Path.Combine(directory, $"db{i}.db");
                var replica = Path.Combine(_dir.Path, "replicas", $"{d:000}-{i}");
                databases.Add((db, replica));
                yaml.Append($"  - path: {db}\n    monitor-interval: 500ms\n    replica:\n      path: {replica}\n");
            }
        }
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, yaml.ToString());
        var script = new StringBuilder();
        foreach (var (db, _) in databases)
        {
            script.Append($"ATTACH '{db}' AS x; CREATE TABLE x.t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO x.t(v) VALUES('first'); DETACH x;\n");
        }
        Sqlite3.Execute(":memory:", script.ToString());

        using var replicate = ReplicateProcess.Start("-config", config);
        Eventually.True(() => databases.All(d => ReplicaFiles.MaxL0Txid(d.Replica) >= 1), TimeSpan.FromMinutes(3),
            () => $"{databases.Count(d => ReplicaFiles.MaxL0Txid(d.Replica) >= 1)} of 300 replicated:\n" + replicate.Output);

        var (firstDb, firstReplica) = databases[0];
        var (lastDb, lastReplica) = databases[^1];
        Sqlite3.Execute(firstDb, "INSERT INTO t(v) VALUES('watched');\n");
        Sqlite3.Execute(lastDb, "INSERT INTO t(v) VALUES('polled');\n");
        Eventually.True(() => ReplicaFiles.MaxL0Txid(firstReplica) >= 2 && ReplicaFiles.MaxL0Txid(lastReplica) >= 2, TimeSpan.FromSeconds(60),
            () => replicate.Output);
        Assert.Equal(0, replicate.Stop());

        Assert.Single(replicate.Output.Split('\n'), l => l.Contains("cannot watch", StringComparison.Ordinal));
        foreach (var (db, replica) in new[] { databases[0], databases[^1] })
        {
            var restored = _dir.File("restored.db");
            File.Delete(restored);
            LitestreamCli.Run("restore", "-o", restored, "file://" + replica).EnsureSuccess("restore");
            Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
        }
    }

    public void Dispose() => _dir.Dispose();
}
