using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Restore;
using LitestreamActors.TestSupport;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// A writer that commits more WAL between two captures than one capture used to read: our checkpoint must capture
/// every frame before SQLite copies it, so the restored database holds every committed row.
/// </summary>
public sealed class FastWriterCaptureTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _meta;

    public FastWriterCaptureTests()
    {
        _db = _dir.File("app.db");
        _meta = _dir.File(".app.db-litestream");
        using var writer = Open();
        Execute(writer, "PRAGMA journal_mode = wal; CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB);");
    }

    [Fact]
    public async Task A_checkpoint_after_more_than_64_MiB_of_new_WAL_loses_no_commit()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(5)))
        {
            Assert.NotNull(capture.Sync(DateTimeOffset.UtcNow));
            Insert(30_000);
            capture.Checkpoint(CheckpointMode.Passive, DateTimeOffset.UtcNow);
            Insert(100);
            while (capture.Sync(DateTimeOffset.UtcNow) is not null)
            {
            }
        }
        var restored = _dir.File("restored.db");
        var replica = new FileReplicaClient(_meta);
        var plan = await RestorePlanner.PlanAsync(replica, new RestoreTarget(null, null), CancellationToken.None);
        await DatabaseRestorer.RestoreAsync(replica, plan, restored, IntegrityCheckMode.Full, false, CancellationToken.None);
        Assert.Equal(Sqlite3.Execute(_db, "SELECT count(*) FROM t;"), Sqlite3.Execute(restored, "SELECT count(*) FROM t;"));
        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(restored));
    }

    public void Dispose() => _dir.Dispose();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000; PRAGMA synchronous = normal;");
        return connection;
    }

    // One row of 1,000 random bytes per transaction, as fast as SQLite commits them.
    private void Insert(int transactions)
    {
        using var writer = Open();
        using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO t(v) VALUES (randomblob(1000))";
        for (var i = 0; i < transactions; i++)
        {
            insert.ExecuteNonQuery();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
