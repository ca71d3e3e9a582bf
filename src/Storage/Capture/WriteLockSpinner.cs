using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// SQLite's busy handler on one of our connections, retrying a lock at once instead of sleeping (docs/capture.md).
/// SQLite's own handler sleeps 1 to 100 ms between tries, and a writer that never pauses frees the write lock for
/// microseconds between its transactions: sleeping, the barrier never gets it. Outside <see cref="Try"/> it gives up
/// at once, so nothing else on the connection waits.
/// </summary>
internal sealed class WriteLockSpinner
{
    // Kept here: SQLite holds only a native pointer to it.
    private readonly BusyCallback _callback;
    private long _deadline = long.MinValue;

    private WriteLockSpinner(SqliteConnection connection)
    {
        _callback = (_, _) =>
        {
            if (Environment.TickCount64 >= Interlocked.Read(ref _deadline))
            {
                return 0;
            }
            Thread.Yield();
            return 1;
        };
        var rc = BusyHandler(connection.Handle!.DangerousGetHandle(), _callback, IntPtr.Zero);
        if (rc != 0)
        {
            throw new StorageException($"{connection.DataSource}: cannot install a busy handler (SQLite error {rc})");
        }
    }

    public static WriteLockSpinner On(SqliteConnection connection) => new(connection);

    /// <summary>Runs <paramref name="call"/> (an SQLite call returning its result code), retrying locks until <paramref name="timeout"/>.</summary>
    public int Try(Func<int> call, TimeSpan timeout)
    {
        Interlocked.Exchange(ref _deadline, Environment.TickCount64 + (long)timeout.TotalMilliseconds);
        try
        {
            return call();
        }
        finally
        {
            Interlocked.Exchange(ref _deadline, long.MinValue);
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyCallback(IntPtr argument, int count);

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_busy_handler")]
    private static extern int BusyHandler(IntPtr db, BusyCallback callback, IntPtr argument);
}
