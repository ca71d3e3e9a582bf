using System.Globalization;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The database file replaced under a running node, deleted and created again, then restored over (another file moved
/// onto its name): each is logged, captured as a full L0 file at the next TXID, and the chain goes on; the replica
/// restores to the new file, and the TXIDs before each replacement still restore to the old one.
/// </summary>
public sealed class DatabaseReplacedTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_replaced_database_is_logged_and_replicated_whole_continuing_the_chain()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {replica}\n      sync-interval: 100ms\n");
        Sqlite3.Execute(db, "PRAGMA journal_mode=WAL;\n" + RandomRows.Schema + RandomRows.Inserts(new Random(80), 50));
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => node.Output);
        var states = new List<(ulong Txid, string Dump)> { Commit(db, replica, new Random(81), node) };

        File.Delete(db);
        File.Delete(db + "-wal");
        File.Delete(db + "-shm");
        Sqlite3.Execute(db, "PRAGMA journal_mode=WAL;\nCREATE TABLE recreated(id INTEGER PRIMARY KEY, v TEXT);\n");
        states.Add(Commit(db, replica, new Random(82), node, "recreated"));
        Assert.Contains("database file replaced", node.Output, StringComparison.Ordinal);

        var other = _dir.File("other.db");
        Sqlite3.Execute(other, "CREATE TABLE restored(id INTEGER PRIMARY KEY, v TEXT);\n" + "INSERT INTO restored(v) VALUES ('moved over');\n");
        File.Move(other, db, overwrite: true);
        File.Delete(db + "-wal");
        File.Delete(db + "-shm");
        states.Add(Commit(db, replica, new Random(83), node, "restored"));
        Assert.Equal(2, node.Output.Split('\n').Count(l => l.Contains("database file replaced", StringComparison.Ordinal)));

        LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "60", db).EnsureSuccess("sync -wait\n" + node.Output);
        Assert.Equal(0, node.Stop());
        Assert.Null(ReplicaFiles.ChainProblem(replica));
        LitestreamCli.Run("restore", "-o", _dir.File("latest.db"), "file://" + replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(_dir.File("latest.db")));
        foreach (var (txid, dump) in states)
        {
            var output = _dir.File($"at-{txid:x16}.db");
            LitestreamCli.Run("restore", "-txid", txid.ToString("x16", CultureInfo.InvariantCulture), "-o", output, "file://" + replica).EnsureSuccess("restore -txid");
            Assert.Equal(dump, AppTables(output));
        }
    }

    public void Dispose() => _dir.Dispose();

    // A commit through sqlite3 once the replica holds the file; returns the TXID that holds it and the app's .dump then.
    private static (ulong, string) Commit(string db, string replica, Random random, ReplicateProcess node, string table = "t")
    {
        var before = ReplicaFiles.MaxL0Txid(replica);
        Sqlite3.Execute(db, $"INSERT INTO {table}({(table == "t" ? "tag" : "v")}) VALUES ('{random.Next()}');\n");
        var dump = AppTables(db);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > before && RestoresTo(replica, dump), TimeSpan.FromSeconds(30), () => node.Output);
        return (ReplicaFiles.MaxL0Txid(replica), dump);
    }

    // The application's tables: the node adds its own to a new file when it first captures it, a moment after a commit.
    private static string AppTables(string db) =>
        string.Join('\n', Sqlite3.Dump(db).Split('\n').Where(line => !line.Contains("_litestream_", StringComparison.Ordinal)));

    private static bool RestoresTo(string replica, string dump)
    {
        var output = Path.Combine(Path.GetDirectoryName(replica)!, $"probe-{Guid.NewGuid():N}.db");
        var restored = LitestreamCli.Run("restore", "-o", output, "file://" + replica);
        var same = restored.ExitCode == 0 && AppTables(output) == dump;
        File.Delete(output);
        return same;
    }
}
