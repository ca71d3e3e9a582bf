using Microsoft.Data.Sqlite;

namespace LitestreamActors.TestSupport;

/// <summary>The ledger load written through Microsoft.Data.Sqlite, one task and connection per writer.</summary>
public static class DotNetLedgerWriter
{
    /// <param name="stop">Ends the load after the transaction in flight commits, before its count is reached.</param>
    public static Task RunAsync(string database, LedgerLoad load, CancellationToken stop = default) =>
        Task.WhenAll(Enumerable.Range(1, load.Connections).Select(writer => Task.Run(() => Write(database, writer, load, stop))));

    private static void Write(string database, int writer, LedgerLoad load, CancellationToken stop)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false, DefaultTimeout = 60 }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 60000; PRAGMA synchronous = normal;" + (load.AutoCheckpoint >= 0 ? $"PRAGMA wal_autocheckpoint = {load.AutoCheckpoint};" : ""));
        using var insert = Command(connection, "INSERT INTO t(w, h, v) VALUES ($w, $h, randomblob($blob))", "$w", "$h", "$blob");
        using var record = Command(connection,
            "INSERT INTO ledger(w, seq, rows, hsum) VALUES ($w, $seq, $rows, $hsum) ON CONFLICT(w) DO UPDATE SET seq = excluded.seq, rows = excluded.rows, hsum = excluded.hsum",
            "$w", "$seq", "$rows", "$hsum");
        long rows = 0, hsum = 0;
        var interval = load.Rate > 0 ? TimeSpan.FromSeconds((double)load.Connections / load.Rate) : TimeSpan.Zero;
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (var seq = 1; seq <= load.Transactions && !stop.IsCancellationRequested; seq++)
        {
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                insert.Transaction = record.Transaction = transaction;
                for (var i = 0; i < load.Rows; i++)
                {
                    var h = Random.Shared.Next();
                    Run(insert, writer, h, load.BlobBytes);
                    hsum += h;
                }
                rows += load.Rows;
                Run(record, writer, seq, rows, hsum);
                transaction.Commit();
            }
            if (load.ShrinkEvery > 0 && seq % load.ShrinkEvery == 0)
            {
                (rows, hsum) = Shrink(connection, writer);
            }
            var wait = interval * seq - started.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                stop.WaitHandle.WaitOne(wait);
            }
        }
    }

    // Half of this writer's rows go, the ledger says so in the same transaction, and VACUUM gives the space back.
    private static (long Rows, long Hsum) Shrink(SqliteConnection connection, int writer)
    {
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            using var shrink = Command(connection, """
                UPDATE ledger SET rows = rows - (SELECT count(*) FROM t WHERE w = $w AND id % 2 = 0),
                                  hsum = hsum - (SELECT coalesce(sum(h), 0) FROM t WHERE w = $w AND id % 2 = 0) WHERE w = $w;
                DELETE FROM t WHERE w = $w AND id % 2 = 0;
                """, "$w");
            shrink.Transaction = transaction;
            Run(shrink, writer);
            transaction.Commit();
        }
        Execute(connection, "VACUUM");
        using var read = Command(connection, "SELECT rows, hsum FROM ledger WHERE w = $w", "$w");
        read.Parameters[0].Value = writer;
        using var row = read.ExecuteReader();
        row.Read();
        return (row.GetInt64(0), row.GetInt64(1));
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }
        return command;
    }

    private static void Run(SqliteCommand command, params long[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
