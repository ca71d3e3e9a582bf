using LitestreamActors.TestSupport;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>`litestream replicate` as a child process while real sqlite3 processes and a .NET writer commit.</summary>
public sealed class ReplicateTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _replica;
    private readonly string _config;

    public ReplicateTests()
    {
        _db = _dir.File("app.db");
        _replica = _dir.File("replica");
        _config = _dir.File("litestream.yml");
        File.WriteAllText(_config, $"""
            dbs:
              - path: {_db}
                monitor-interval: 200ms
                checkpoint-interval: 1h
                min-checkpoint-page-count: 300
                replica:
                  type: file
                  path: {_replica}
            """);
        Sqlite3.Execute(_db, RandomRows.Schema + "CREATE TABLE u(id INTEGER PRIMARY KEY, n INTEGER, note TEXT);\n");
    }

    [Fact]
    public async Task Concurrent_writers_restore_exactly_at_the_end_and_at_recorded_timestamps()
    {
        var random = new Random(Environment.TickCount);
        using var replicate = ReplicateProcess.Start("-config", _config);
        WaitForReplica(replicate, 1);
        var points = new List<(DateTimeOffset Time, string Dump)>();

        await Task.WhenAll(
            Task.Run(() =>
            {
                for (var i = 0; i < 8; i++)
                {
                    Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 20) + "COMMIT;\nUPDATE t SET tag = 'x' || tag WHERE id % 5 = 0;\n");
                }
            }),
            Task.Run(() => DotNetWriter(300)));
        points.Add(Quiesce(replicate));

        await Task.WhenAll(
            Task.Run(() => Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 3000, 4000) + "COMMIT;\n")),
            Task.Run(() => DotNetWriter(100)));
        Sqlite3.Execute(_db, "DELETE FROM t WHERE id % 4 = 0;\nDELETE FROM u WHERE n % 3 = 0;\n");
        points.Add(Quiesce(replicate));

        Sqlite3.Execute(_db, "CREATE INDEX t_tag ON t(tag);\nVACUUM;\nUPDATE u SET note = 'after vacuum' WHERE n % 2 = 0;\n");
        Quiesce(replicate);
        Assert.Equal(0, replicate.Stop());
        var final = Sqlite3.Dump(_db);

        var latest = _dir.File("latest.db");
        LitestreamCli.Run("restore", "-integrity-check", "full", "-o", latest, "file://" + _replica).EnsureSuccess("restore");
        Assert.Equal(final, Sqlite3.Dump(latest));
        for (var i = 0; i < points.Count; i++)
        {
            var output = _dir.File($"at-{i}.db");
            LitestreamCli.Run("restore", "-timestamp", points[i].Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ"), "-o", output, "file://" + _replica)
                .EnsureSuccess("restore -timestamp");
            Assert.Equal(points[i].Dump, Sqlite3.Dump(output));
        }
        Assert.Equal(final, LitestreamVfs.Dump(_replica));
    }

    [Fact]
    public async Task Kill_9_at_random_moments_with_a_checkpoint_while_down_loses_nothing()
    {
        var random = new Random(Environment.TickCount);
        using var stop = new CancellationTokenSource();
        var replicate = ReplicateProcess.Start("-config", _config);
        try
        {
            WaitForReplica(replicate, 1);
            var writer = Task.Run(() =>
            {
                var i = 0;
                while (!stop.IsCancellationRequested)
                {
                    Sqlite3.Execute(_db, $"INSERT INTO u(n, note) VALUES({++i}, 'row {i}');\n");
                }
            });
            for (var round = 0; round < 3; round++)
            {
                Thread.Sleep(random.Next(300, 1500));
                var before = ReplicaFiles.MaxL0Txid(_replica);
                replicate.Kill9();
                replicate.Dispose();
                Sqlite3.Execute(_db, RandomRows.Inserts(random, 5) + "PRAGMA wal_checkpoint(TRUNCATE);\n");
                replicate = ReplicateProcess.Start("-config", _config);
                WaitForReplica(replicate, before + 1);
            }
            await stop.CancelAsync();
            await writer;
            Quiesce(replicate);
            Assert.Equal(0, replicate.Stop());
        }
        finally
        {
            replicate.Dispose();
        }

        var txids = Directory.GetFiles(Path.Combine(_replica, "ltx", "0")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(Enumerable.Range(1, txids.Count).Select(t => $"{t:x16}-{t:x16}.ltx"), txids);
        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-integrity-check", "full", "-o", restored, "file://" + _replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(restored));
    }

    [Fact]
    public void Sigterm_exits_0_after_a_final_sync_that_holds_the_last_commit()
    {
        using var replicate = ReplicateProcess.Start("-config", _config);
        WaitForReplica(replicate, 1);
        Sqlite3.Execute(_db, "INSERT INTO u(n, note) VALUES(42, 'the very last commit');\n");
        Assert.Equal(0, replicate.Stop());
        Assert.Contains("final sync complete", replicate.Output, StringComparison.Ordinal);

        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-o", restored, "file://" + _replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(restored));
    }

    [Fact]
    public void Url_mode_replicates_one_database_to_a_replica_url()
    {
        var url = "file://" + _dir.File("url-replica");
        using var replicate = ReplicateProcess.Start(_db, url);
        WaitForReplica(replicate, 1, _dir.File("url-replica"));
        Sqlite3.Execute(_db, RandomRows.Inserts(new Random(1), 10));
        Assert.Equal(0, replicate.Stop());
        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-o", restored, url).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(restored));
    }

    public void Dispose() => _dir.Dispose();

    private void DotNetWriter(int transactions)
    {
        using var connection = new SqliteConnection($"Data Source={_db};Pooling=False;Default Timeout=30");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout = 30000";
            pragma.ExecuteNonQuery();
        }
        for (var i = 0; i < transactions; i++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO u(n, note) VALUES($n, $note); UPDATE u SET note = note || '+' WHERE n = $n - 7;";
            command.Parameters.AddWithValue("$n", i);
            command.Parameters.AddWithValue("$note", $"dotnet {i}");
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>Waits until the replica has stopped moving, then records the time and the database's dump.</summary>
    private (DateTimeOffset, string) Quiesce(ReplicateProcess replicate)
    {
        var last = ReplicaFiles.MaxL0Txid(_replica);
        var stableSince = DateTime.UtcNow;
        Eventually.True(() =>
        {
            var now = ReplicaFiles.MaxL0Txid(_replica);
            if (now != last)
            {
                last = now;
                stableSince = DateTime.UtcNow;
            }
            return DateTime.UtcNow - stableSince > TimeSpan.FromSeconds(1.5);
        }, TimeSpan.FromSeconds(60), () => "replica never settled:\n" + replicate.Output);
        var dump = Sqlite3.Dump(_db);
        var time = DateTimeOffset.UtcNow;
        Thread.Sleep(1100);
        return (time, dump);
    }

    private void WaitForReplica(ReplicateProcess replicate, ulong txid, string? replica = null) =>
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica ?? _replica) >= txid, TimeSpan.FromSeconds(60),
            () => $"replica never reached TXID {txid}:\n" + replicate.Output);
}
