using LitestreamActors.Storage.Capture;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// <c>/metrics</c> of a running node, checked by the real <c>promtool check metrics</c> (Debian's prometheus package):
/// the exposition parses, and the only lint findings are upstream's own counter names (<c>litestream_sync_count</c> and
/// the like, kept so existing dashboards and alerts work after the swap); every metric of ours is lint-clean.
/// </summary>
public sealed class MetricsTests : IDisposable
{
    // Upstream's counters lack the _total suffix (and sync_count ends in _count); promtool flags exactly these.
    private static readonly HashSet<string> UpstreamCounterNames =
    [
        "litestream_total_wal_bytes", "litestream_sync_count", "litestream_sync_error_count", "litestream_sync_seconds",
        "litestream_checkpoint_count", "litestream_checkpoint_error_count", "litestream_checkpoint_seconds",
        "litestream_replica_operation_bytes",
    ];

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Metrics_pass_promtool_and_show_each_replicas_position_and_lag()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(90), 10));
        var port = FreeTcpPort.Next();
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"addr: \"127.0.0.1:{port}\"\ndbs:\n  - path: {db}\n    monitor-interval: 100ms\n    checkpoint-interval: 1s\n"
            + $"    replicas:\n      - name: near\n        path: {_dir.File("near")}\n      - name: far\n        path: {_dir.File("far")}\n");
        using var node = ReplicateProcess.Start("-config", config);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var text = string.Empty;
        for (var i = 0; i < 5; i++)
        {
            Sqlite3.Execute(db, RandomRows.Inserts(new Random(i), 5));
            Thread.Sleep(400);
        }
        Eventually.True(() =>
        {
            try
            {
                text = http.GetStringAsync("/metrics").Result;
            }
            catch (AggregateException)
            {
                return false;
            }
            return text.Contains("litestream_checkpoint_count{", StringComparison.Ordinal)
                && text.Contains($"litestream_replica_lag_seconds{{db=\"{db}\",replica=\"far\"}} 0", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), () => text + node.Output);

        foreach (var name in new[]
        {
            "litestream_db_size", "litestream_wal_size", "litestream_txid", "litestream_sync_count", "litestream_replica_operation_total",
            "litestream_replica_txid", "litestream_replica_lag_txids", "litestream_replica_last_upload_timestamp_seconds",
            "litestream_replica_last_proven_timestamp_seconds", "litestream_local_l0_bytes", "litestream_actor_restarts_total", "process_cpu_seconds_total",
        })
        {
            Assert.Contains("\n" + name, text, StringComparison.Ordinal);
        }
        var promtool = ProcessRunner.Run("promtool", ["check", "metrics"], standardInput: text);
        Assert.True(promtool.ExitCode is 0 or 3, $"promtool could not parse /metrics (exit {promtool.ExitCode}): {promtool.StandardError}{promtool.StandardOutput}");
        var findings = (promtool.StandardOutput + promtool.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(findings, line => Assert.Contains(line.Split(' ')[0], UpstreamCounterNames));
        Assert.Equal(0, node.Stop());
    }

    // A quiet database's ticks are answered by the node's monitor clock, not its WAL reader (docs/capture.md, "Idle
    // databases"): they still count as syncs, as upstream counts one each interval, and a commit after the quiet spell
    // is still captured.
    [Fact]
    public void A_quiet_database_keeps_counting_syncs_and_a_later_commit_still_reaches_the_replica()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(91), 10));
        var port = FreeTcpPort.Next();
        var config = _dir.File("litestream.yml");
        var replica = _dir.File("replica");
        File.WriteAllText(config, $"addr: \"127.0.0.1:{port}\"\ndbs:\n  - path: {db}\n    monitor-interval: 200ms\n    checkpoint-interval: 1s\n"
            + $"    replica:\n      path: {replica}\n");
        using var node = ReplicateProcess.Start("-config", config);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        long? Syncs()
        {
            try
            {
                var line = http.GetStringAsync("/metrics").Result.Split('\n').FirstOrDefault(l => l.StartsWith($"litestream_sync_count{{db=\"{db}\"}} ", StringComparison.Ordinal));
                return line is null ? null : (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (AggregateException)
            {
                return null;
            }
        }
        Eventually.True(() => Syncs() is not null, TimeSpan.FromSeconds(30), () => node.Output);
        // Past the settle time of the files' stamps and the timed checkpoint: from here the clock answers the ticks.
        Thread.Sleep(QuietStamp.Settle + TimeSpan.FromSeconds(3));
        var walBefore = File.ReadAllBytes(db + "-wal");
        var before = Syncs();
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var after = Syncs();
        Assert.Equal(walBefore, File.ReadAllBytes(db + "-wal"));
        Assert.True(after - before >= 5, $"sync count went from {before} to {after} in 2 s at a 200 ms interval\n{node.Output}");

        Sqlite3.Execute(db, RandomRows.Inserts(new Random(92), 5));
        Eventually.True(() => Sqlite3.Dump(db) == LitestreamCli.RestoredDump("file://" + replica, _dir.File($"restored-{Guid.NewGuid():N}.db")),
            TimeSpan.FromSeconds(30), () => node.Output);
        Assert.Equal(0, node.Stop());
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("final.db")));
    }

    public void Dispose() => _dir.Dispose();
}
