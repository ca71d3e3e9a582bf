using System.Text;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// A thousand databases in one config, ten per folder: every one reaches its first upload, the node keeps under a
/// hundred threads throughout (one inotify instance and thread for every folder; Akka's timer wheel started before
/// the databases), a change is still noticed, and SIGINT ends it with a final sync of every database. How long it
/// takes is measured in bench/many-databases.sh.
/// </summary>
[Collection(WriterMatrixCollection.Name)]
public sealed class ManyDatabasesTests : IDisposable
{
    private const int Directories = 100;
    private const int PerDirectory = 10;
    private const int MaxThreads = 100;
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_thousand_databases_start_replicate_and_stop_with_few_threads()
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
                yaml.Append($"  - path: {db}\n    replica:\n      path: {replica}\n");
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
        var mostThreads = 0;
        Eventually.True(() =>
        {
            mostThreads = Math.Max(mostThreads, Threads(replicate.Id));
            return databases.All(d => ReplicaFiles.MaxL0Txid(d.Replica) >= 1);
        }, TimeSpan.FromMinutes(3), () => $"{databases.Count(d => ReplicaFiles.MaxL0Txid(d.Replica) >= 1)} of {databases.Count} replicated, {mostThreads} threads:\n" + replicate.Output);
        Assert.True(mostThreads < MaxThreads, $"the node ran {mostThreads} threads");

        var (firstDb, firstReplica) = databases[0];
        var (lastDb, lastReplica) = databases[^1];
        Sqlite3.Execute(firstDb, "INSERT INTO t(v) VALUES('changed');\n");
        Sqlite3.Execute(lastDb, "INSERT INTO t(v) VALUES('changed');\n");
        Eventually.True(() => ReplicaFiles.MaxL0Txid(firstReplica) >= 2 && ReplicaFiles.MaxL0Txid(lastReplica) >= 2, TimeSpan.FromSeconds(60),
            () => replicate.Output);
        Assert.Equal(0, replicate.Stop(interrupt: true));
        Assert.Equal(databases.Count, replicate.Output.Split('\n').Count(l => l.Contains("final sync complete", StringComparison.Ordinal)));
        foreach (var (db, replica) in new[] { databases[0], databases[^1] })
        {
            Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File($"restored-{Guid.NewGuid():N}.db")));
        }
    }

    public void Dispose() => _dir.Dispose();

    private static int Threads(int pid) => Directory.Exists($"/proc/{pid}/task") ? Directory.GetDirectories($"/proc/{pid}/task").Length : 0;
}
