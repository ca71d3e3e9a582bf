using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.Benchmarks;

/// <summary>
/// The application side of the end-to-end benchmark: one-row transactions of ~1 KiB text-like rows at a target rate
/// (0 = as fast as possible) for a fixed time, as an application would write with WAL, synchronous=NORMAL and a busy
/// timeout. Prints "tx=N seconds=S tx_per_sec=R mb=M".
/// </summary>
internal static class PacedWriter
{
    public static int Run(string database, int rate, double seconds)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;" +
            "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, ts REAL, tag TEXT, body BLOB);");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t(ts, tag, body) VALUES($ts, $tag, $body)";
        var ts = insert.Parameters.Add("$ts", SqliteType.Real);
        var tag = insert.Parameters.Add("$tag", SqliteType.Text);
        var body = insert.Parameters.Add("$body", SqliteType.Blob);
        var random = new Random(1);
        var words = new[] { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" };
        long bytes = 0;
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            if (rate > 0 && count > clock.Elapsed.TotalSeconds * rate)
            {
                Thread.Sleep(1);
                continue;
            }
            var text = new StringBuilder();
            while (text.Length < 1000)
            {
                text.Append(words[random.Next(words.Length)]).Append(' ');
            }
            var payload = Encoding.ASCII.GetBytes(text.ToString());
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            ts.Value = clock.Elapsed.TotalSeconds;
            tag.Value = words[random.Next(words.Length)];
            body.Value = payload;
            insert.ExecuteNonQuery();
            transaction.Commit();
            bytes += payload.Length + 40;
            count++;
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"tx={count} seconds={elapsed:0.00} tx_per_sec={count / elapsed:0} mb={bytes / 1e6:0.0}"));
        return 0;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
