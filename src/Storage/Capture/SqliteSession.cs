using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Our connections to the application's database (docs/capture.md). A read transaction is always held, as upstream
/// holds one, so no checkpoint can restart the WAL past frames we have not captured; each capture begins a new read
/// transaction on the other connection before the old one ends, takes SQLite's snapshot there and captures exactly up
/// to it. We change the database only through checkpoints and by creating upstream's two bookkeeping tables; unlike
/// upstream we never bump its counter: a missing WAL is no gap in what we can prove (docs/capture.md).
/// </summary>
public sealed class SqliteSession : IDisposable
{
    public static readonly Version MinimumSqliteVersion = new(3, 51, 3);

    // How long a restart may hold the application's writers back while its readers finish.
    private static readonly TimeSpan RestartWait = TimeSpan.FromMilliseconds(100);

    private readonly string _databasePath;
    private bool _disposed;
    private readonly string _connectionString;
    private readonly TimeSpan _busyTimeout;
    private readonly SqliteConnection[] _readers;
    private int _held = -1;
    private int _pending = -1;

    private SqliteSession(string databasePath, string connectionString, TimeSpan busyTimeout, SqliteConnection[] readers)
    {
        _databasePath = databasePath;
        _connectionString = connectionString;
        _busyTimeout = busyTimeout;
        _readers = readers;
    }

    /// <summary>True when the database was in another journal mode and this session switched it to WAL.</summary>
    public bool SwitchedToWal { get; private init; }

    /// <summary>What the read transaction we hold sees; null while none is held.</summary>
    public SqliteSnapshot? Held { get; private set; }

    /// <summary>What the current capture's read transaction sees; null outside a capture.</summary>
    public SqliteSnapshot? Pending { get; private set; }

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
        var readers = new List<SqliteConnection>();
        OpenDatabases.Add(databasePath);
        try
        {
            var first = OpenConnection(connectionString, busyTimeout);
            readers.Add(first);
            var mode = Scalar(first, "PRAGMA journal_mode") as string;
            var switched = !string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase);
            if (switched && !string.Equals(Scalar(first, "PRAGMA journal_mode = wal") as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StorageException($"{databasePath}: cannot switch the database to WAL mode");
            }
            Execute(first, "CREATE TABLE IF NOT EXISTS _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)");
            Execute(first, "CREATE TABLE IF NOT EXISTS _litestream_lock (id INTEGER)");
            readers.Add(OpenConnection(connectionString, busyTimeout));
            var session = new SqliteSession(databasePath, connectionString, busyTimeout, [.. readers]) { SwitchedToWal = switched };
            session.BeginHeld(0);
            return session;
        }
        catch (SqliteException e)
        {
            readers.ForEach(r => r.Dispose());
            OpenDatabases.Remove(databasePath);
            throw new StorageException($"{databasePath}: {e.Message}");
        }
        catch
        {
            readers.ForEach(r => r.Dispose());
            OpenDatabases.Remove(databasePath);
            throw;
        }
    }

    /// <summary>Begins the next capture's read transaction while the held one stays; returns what it sees.</summary>
    public SqliteSnapshot BeginPending()
    {
        if (_pending >= 0)
        {
            AbandonPending();
        }
        var index = _held == 0 ? 1 : 0;
        Pending = BeginRead(_readers[index]);
        _pending = index;
        return Pending;
    }

    /// <summary>The capture was published: its read transaction becomes the held one, and the old one ends.</summary>
    public void PromotePending()
    {
        if (_pending < 0)
        {
            throw new InvalidOperationException("no capture is pending");
        }
        if (_held >= 0)
        {
            EndRead(_readers[_held]);
        }
        (_held, Held) = (_pending, Pending);
        (_pending, Pending) = (-1, null);
    }

    /// <summary>The capture failed or found nothing: its read transaction ends, the held one stays.</summary>
    public void AbandonPending()
    {
        if (_pending < 0)
        {
            return;
        }
        var index = _pending;
        (_pending, Pending) = (-1, null);
        EndRead(_readers[index]);
    }

    /// <summary>The database as SQLite shows it in the pending read transaction (else the held one).</summary>
    public SqliteView View()
    {
        var connection = _readers[_pending >= 0 ? _pending : _held];
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM pragma_page_count(), pragma_freelist_count(), pragma_schema_version(), pragma_user_version(), pragma_application_id()";
        using var row = command.ExecuteReader();
        row.Read();
        return new SqliteView((uint)row.GetInt64(0), (uint)row.GetInt64(1), (uint)row.GetInt64(2), (uint)row.GetInt64(3), (uint)row.GetInt64(4));
    }

    /// <summary>
    /// Every page of the database as SQLite reads it in the pending read transaction (else the held one), copied by
    /// SQLite's backup through that transaction into <paramref name="scratchPath"/> and handed out in page order.
    /// </summary>
    public void ReadThroughSqlite(string scratchPath, Action<uint, byte[]> page) =>
        SqliteBackupReader.Read(_readers[_pending >= 0 ? _pending : _held], scratchPath, page);

    /// <summary>
    /// Checkpoints without letting a frame escape capture. <paramref name="captureToEnd"/> must capture up to a new
    /// pending snapshot and promote it; it runs under a write barrier, where that snapshot is the end of the WAL. The
    /// checkpoint then runs with no read of ours and, before the barrier lifts, a read transaction is held again at
    /// the same place: if SQLite restarts the WAL afterwards, the old generation provably ended there. When every
    /// frame was copied, a RESTART (TRUNCATE) follows the barrier at once, before the application's writer wakes
    /// (docs/capture.md); SQLite's locks let it restart only a WAL that holds nothing after our read. Returns whether
    /// SQLite copied every frame (readers of the application's can hold some back).
    /// </summary>
    public bool Checkpoint(CheckpointMode mode, Action captureToEnd)
    {
        // Opened per checkpoint, not kept: a connection is about 90 KB of SQLite's memory, and a node with hundreds of
        // databases checkpoints each of them a minute after its last change (docs/scale.md).
        var barrier = OpenConnection(_connectionString, _busyTimeout);
        WriteLockSpinner? spinner = null;
        try
        {
            spinner = WriteLockSpinner.On(barrier);
            return CheckpointUnderBarrier(barrier, spinner, mode, captureToEnd);
        }
        finally
        {
            barrier.Dispose();
            // SQLite holds only a native pointer to the spinner's callback until the connection is closed.
            GC.KeepAlive(spinner);
        }
    }

    private bool CheckpointUnderBarrier(SqliteConnection barrier, WriteLockSpinner spinner, CheckpointMode mode, Action captureToEnd)
    {
        // Copies what is captured while the application keeps writing (our held read stops it there): what is left for
        // the barrier, which holds the application's writers back, is what came since the capture that just ran. No
        // capture of its own here: at 1,000 commits/s it was a third L0 file every second (docs/capture.md).
        Execute(barrier, "PRAGMA wal_checkpoint(PASSIVE)");
        CrashSwitch.At(CrashSwitch.CheckpointBetweenPhases);
        var rc = spinner.Try(() => raw.sqlite3_exec(barrier.Handle, "BEGIN IMMEDIATE"), _busyTimeout);
        if (rc != raw.SQLITE_OK)
        {
            throw new StorageException($"no write barrier within the busy timeout ({_busyTimeout.TotalMilliseconds:0} ms): {raw.sqlite3_errstr(rc).utf8_to_string()}");
        }
        bool complete;
        try
        {
            captureToEnd();
            var index = Math.Max(_held, 0);
            if (_held >= 0)
            {
                EndRead(_readers[index]);
                (_held, Held) = (-1, null);
            }
            try
            {
                complete = CopyEveryFrame(_readers[index]);
            }
            finally
            {
                BeginHeld(index);
            }
        }
        finally
        {
            raw.sqlite3_exec(barrier.Handle, "ROLLBACK");
        }
        if (complete)
        {
            // Retried briefly: application readers that come and go would otherwise keep the WAL from restarting.
            spinner.Try(() => raw.sqlite3_wal_checkpoint_v2(barrier.Handle, "main",
                mode == CheckpointMode.Truncate ? raw.SQLITE_CHECKPOINT_TRUNCATE : raw.SQLITE_CHECKPOINT_RESTART, out _, out _), RestartWait);
            if (mode == CheckpointMode.Truncate)
            {
                CrashSwitch.At(CrashSwitch.CheckpointTruncated);
            }
        }
        return complete;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var reader in _readers)
        {
            reader.Dispose();
        }
        OpenDatabases.Remove(_databasePath);
    }

    // A PASSIVE checkpoint under our barrier: the application's own checkpoint after its last commit may still hold
    // SQLite's checkpoint lock, which no busy handler waits for, so it is retried until the busy timeout.
    private bool CopyEveryFrame(SqliteConnection connection)
    {
        var until = Environment.TickCount64 + (long)_busyTimeout.TotalMilliseconds;
        while (true)
        {
            var rc = raw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", raw.SQLITE_CHECKPOINT_PASSIVE, out var frames, out var copied);
            if (rc == raw.SQLITE_OK)
            {
                return frames == copied;
            }
            if (rc != raw.SQLITE_BUSY || Environment.TickCount64 >= until)
            {
                return false;
            }
            Thread.Yield();
        }
    }

    private void BeginHeld(int index)
    {
        Held = BeginRead(_readers[index]);
        _held = index;
    }

    private static SqliteConnection OpenConnection(string connectionString, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            SqliteNative.Slim(connection);
            Execute(connection, $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}");
            Execute(connection, "PRAGMA wal_autocheckpoint = 0");
            SqliteNative.PersistWal(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteSnapshot BeginRead(SqliteConnection connection)
    {
        Execute(connection, "BEGIN");
        try
        {
            Scalar(connection, "SELECT COUNT(1) FROM _litestream_seq");
            var pageCount = (uint)(long)Scalar(connection, "PRAGMA page_count")!;
            if (raw.sqlite3_snapshot_get(connection.Handle, "main", out var snapshot) != raw.SQLITE_OK)
            {
                // SQLite has no snapshot of a WAL that never had a header: the database is its file alone.
                snapshot?.Dispose();
                return SqliteSnapshot.WithoutWal(pageCount, (uint)(long)Scalar(connection, "PRAGMA page_size")!);
            }
            using (snapshot)
            {
                var native = new byte[SqliteSnapshot.NativeSize];
                Marshal.Copy(snapshot.DangerousGetHandle(), native, 0, native.Length);
                return SqliteSnapshot.FromNative(native, pageCount);
            }
        }
        catch
        {
            Execute(connection, "ROLLBACK");
            throw;
        }
    }

    private static void EndRead(SqliteConnection connection) => Execute(connection, "ROLLBACK");

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
