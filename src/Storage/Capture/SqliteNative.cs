using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.Storage.Capture;

/// <summary>SQLite calls beyond Microsoft.Data.Sqlite's: one SQLitePCLRaw does not wrap, bound to the same native library.</summary>
internal static class SqliteNative
{
    private const int PersistWalOp = 10;

    /// <summary>
    /// SQLITE_FCNTL_PERSIST_WAL on a connection: when it is the last to close, SQLite checkpoints but keeps the WAL,
    /// as upstream asks of its own connections, so the next start continues the same generation.
    /// </summary>
    public static void PersistWal(SqliteConnection connection)
    {
        var on = 1;
        var rc = FileControl(connection.Handle!.DangerousGetHandle(), "main", PersistWalOp, ref on);
        if (rc != 0)
        {
            throw new StorageException($"{connection.DataSource}: cannot keep the WAL across our close (SQLite error {rc})");
        }
    }

    /// <summary>
    /// Our connections run a few statements and read pages once (docs/capture.md, "Idle databases"): no lookaside slots
    /// and a page cache of a few pages, instead of ~120 KB of lookaside and 20 preallocated pages each.
    /// Called right after open, before any statement holds lookaside memory.
    /// </summary>
    public static void Slim(SqliteConnection connection)
    {
        var rc = SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_LOOKASIDE, IntPtr.Zero, 0, 0);
        if (rc != 0)
        {
            throw new StorageException($"{connection.DataSource}: cannot configure the connection (SQLite error {rc})");
        }
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA cache_size = 16";
        command.ExecuteNonQuery();
    }

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_file_control")]
    private static extern int FileControl(IntPtr db, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, int op, ref int arg);
}
