using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.Storage.Capture;

/// <summary>The one SQLite call SQLitePCLRaw does not wrap, bound to the same native library.</summary>
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

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_file_control")]
    private static extern int FileControl(IntPtr db, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, int op, ref int arg);
}
