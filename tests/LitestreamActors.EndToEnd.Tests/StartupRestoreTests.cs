using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// <c>restore-if-db-not-exists</c> and <c>replicate -restore-if-db-not-exists</c>: a container that starts without its
/// database gets it back from the replica before replication begins, instead of backing up an empty database.
/// </summary>
public sealed class StartupRestoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _replica;

    public StartupRestoreTests()
    {
        _db = _dir.File("app.db");
        _replica = _dir.File("replica");
    }

    [Fact]
    public void A_missing_database_is_restored_from_the_replica_before_replicating_and_replication_goes_on()
    {
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {_db}\n    restore-if-db-not-exists: true\n    monitor-interval: 200ms\n    replica:\n      path: {_replica}\n");
        var random = new Random(41);
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(random, 50));
        LitestreamCli.Run("replicate", "-once", "-config", config).EnsureSuccess("replicate -once");
        var backedUp = Sqlite3.Dump(_db);
        // A new container: neither the database nor our local state beside it.
        foreach (var path in new[] { _db, _db + "-wal", _db + "-shm" })
        {
            File.Delete(path);
        }
        Directory.Delete(_dir.File(".app.db-litestream"), recursive: true);

        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => node.Output.Contains("restored missing database before replicating", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        Assert.Equal(backedUp, Sqlite3.Dump(_db));
        var before = ReplicaFiles.MaxL0Txid(_replica);
        Sqlite3.Execute(_db, RandomRows.Inserts(random, 10));
        Eventually.True(() => ReplicaFiles.MaxL0Txid(_replica) > before, TimeSpan.FromSeconds(60), () => node.Output);
        Assert.Equal(0, node.Stop());

        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-integrity-check", "full", "-o", restored, "file://" + _replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(restored));
    }

    [Fact]
    public void With_no_backup_anywhere_the_flag_starts_fresh()
    {
        using var node = ReplicateProcess.Start("-restore-if-db-not-exists", _db, "file://" + _replica);
        Eventually.True(() => node.Output.Contains("no backup in any replica, starting fresh", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        Assert.False(File.Exists(_db));
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(new Random(42), 5));
        Eventually.True(() => ReplicaFiles.MaxL0Txid(_replica) >= 1, TimeSpan.FromSeconds(60), () => node.Output);
        Assert.Equal(0, node.Stop());
        Assert.Equal(Sqlite3.Dump(_db), LitestreamCli.RestoredDump("file://" + _replica, _dir.File("restored.db")));
    }

    public void Dispose() => _dir.Dispose();
}
