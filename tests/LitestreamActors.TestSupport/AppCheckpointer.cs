using Microsoft.Data.Sqlite;

namespace LitestreamActors.TestSupport;

/// <summary>
/// The application's own checkpoints while it writes: a connection of its own running <c>PRAGMA wal_checkpoint(MODE)</c>
/// every few milliseconds until disposed. A checkpoint SQLite answers busy (our read transaction holds the WAL) is
/// normal; <see cref="Completed"/> counts those that copied every frame.
/// </summary>
public sealed class AppCheckpointer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AppCheckpointer(string database, string mode, TimeSpan every)
    {
        _loop = Task.Run(async () =>
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 100";
            command.ExecuteNonQuery();
            command.CommandText = $"PRAGMA wal_checkpoint({mode})";
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var result = command.ExecuteReader();
                    if (result.Read() && result.GetInt64(0) == 0 && result.GetInt64(1) == result.GetInt64(2))
                    {
                        Completed++;
                    }
                    Attempted++;
                }
                catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6)
                {
                    Attempted++;
                }
                await Task.Delay(every).ConfigureAwait(false);
            }
        });
    }

    public int Attempted { get; private set; }

    public int Completed { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
