using Microsoft.Data.Sqlite;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Our connection to the application's database, as upstream holds it: WAL mode, its bookkeeping tables, and a
/// long-lived read transaction that pins the WAL so no checkpoint can restart it past frames we have not captured.
/// We change the database only through checkpoints and the <c>_litestream_seq</c> counter upstream also keeps.
/// </summary>
public sealed class SqliteSession : IDisposable
{
    public static readonly Version MinimumSqliteVersion = new(3, 51, 3);

    private readonly SqliteConnection _connection;
    private readonly string _connectionString;
    private bool _reading;

    private SqliteSession(SqliteConnection connection, string connectionString)
    {
        _connection = connection;
        _connectionString = connectionString;
    }

    /// <summary>True when the database was in another journal mode and this session switched it to WAL.</summary>
    public bool SwitchedToWal { get; private init; }

    public static Version SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return Version.Parse(Scalar(connection, "SELECT sqlite_version()") as string ?? "0.0.0");
    }

    public static SqliteSession Open(string databasePath, TimeSpan busyTimeout)
    {
        var version = SqliteVersion();
        if (version < MinimumSqliteVersion)
        {
            throw new StorageException($"SQLite {version} is too old: {MinimumSqliteVersion} or newer is required (earlier versions can corrupt a WAL on reset)");
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)busyTimeout.TotalSeconds),
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}");
            var mode = Scalar(connection, "PRAGMA journal_mode") as string;
            var switched = !string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase);
            if (switched && !string.Equals(Scalar(connection, "PRAGMA journal_mode = wal") as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StorageException($"{databasePath}: cannot switch the database to WAL mode");
            }
            Execute(connection, "PRAGMA wal_autocheckpoint = 0");
            Execute(connection, "CREATE TABLE IF NOT EXISTS _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)");
            Execute(connection, "CREATE TABLE IF NOT EXISTS _litestream_lock (id INTEGER)");
            var session = new SqliteSession(connection, connectionString) { SwitchedToWal = switched };
            session.BeginRead();
            return session;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StorageException($"{databasePath}: {e.Message}");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checkpoints without letting a frame escape capture. <paramref name="syncToEnd"/> must capture every committed frame;
    /// for a passive checkpoint it runs while we hold the write lock, so the application cannot commit in between.
    /// Afterwards the WAL may have restarted: the next capture reads a new generation from its start, or, after a
    /// truncate, takes a snapshot.
    /// </summary>
    public void Checkpoint(CheckpointMode mode, Action syncToEnd)
    {
        if (mode == CheckpointMode.Truncate)
        {
            syncToEnd();
            EndRead();
            try
            {
                Execute(_connection, "PRAGMA wal_checkpoint(TRUNCATE)");
            }
            finally
            {
                BeginRead();
            }
            return;
        }

        // Phase 1, under a short barrier: capture to the end, then move our read mark there, so the checkpoint that
        // follows may copy everything captured while the application keeps writing.
        using var barrier = new SqliteConnection(_connectionString);
        barrier.Open();
        WithBarrier(barrier, () =>
        {
            syncToEnd();
            EndRead();
            BeginRead(bumpCounter: false);
        });
        // From the barrier's connection: ours is inside its read transaction, where SQLite refuses to checkpoint.
        Execute(barrier, "PRAGMA wal_checkpoint(PASSIVE)");

        // Phase 2, under a short barrier: capture what came meanwhile and copy it; the WAL may then restart, on the
        // counter bump that re-pins it, with nothing uncaptured in the old generation.
        WithBarrier(barrier, () =>
        {
            syncToEnd();
            EndRead();
            Execute(_connection, "PRAGMA wal_checkpoint(PASSIVE)");
        });
        if (!_reading)
        {
            BeginRead();
        }
    }

    /// <summary>Runs <paramref name="action"/> while no other connection can commit (briefly: writers wait on their busy timeout).</summary>
    public void UnderWriteBarrier(Action action)
    {
        using var barrier = new SqliteConnection(_connectionString);
        barrier.Open();
        WithBarrier(barrier, action);
    }

    private void WithBarrier(SqliteConnection barrier, Action action)
    {
        Execute(barrier, "BEGIN IMMEDIATE");
        try
        {
            action();
        }
        finally
        {
            Execute(barrier, "ROLLBACK");
        }
    }

    public void Dispose()
    {
        if (_reading)
        {
            EndRead();
        }
        _connection.Dispose();
    }

    // The counter write gives the WAL a frame the checkpoint has not copied (restarting the WAL if it was fully
    // copied), so the read transaction that follows takes a non-zero read mark and pins the WAL.
    private void BeginRead(bool bumpCounter = true)
    {
        if (bumpCounter)
        {
            Execute(_connection, "INSERT INTO _litestream_seq (id, seq) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET seq = seq + 1");
        }
        Execute(_connection, "BEGIN");
        Scalar(_connection, "SELECT COUNT(1) FROM _litestream_seq");
        _reading = true;
    }

    private void EndRead()
    {
        Execute(_connection, "ROLLBACK");
        _reading = false;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
