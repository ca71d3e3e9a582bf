using System.Diagnostics;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// One database, two replicas (a folder and S3 behind a fault-injecting proxy), fed by one capture: with S3 cut off
/// for a minute the folder keeps up within two sync intervals, and S3 catches up with no gap when it is back; with a
/// small <c>max-local-ltx-bytes</c> the stalled replica lets go of the local files, says so, and goes on from a
/// full file (uploaded as a snapshot too) while the local folder stays bounded.
/// </summary>
public sealed class MultiReplicaTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_replica_down_for_half_a_minute_holds_back_no_other_and_catches_up_without_a_gap()
    {
        using var proxy = S3Proxy(out var direct, out var viaProxy);
        var (db, folder, config) = Setup(viaProxy, string.Empty);
        using var replicate = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(folder) >= 1 && Complete(direct), TimeSpan.FromSeconds(60), () => replicate.Output);

        proxy.Cut();
        var lags = new List<TimeSpan>();
        var random = new Random(70);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var before = ReplicaFiles.MaxL0Txid(folder);
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 5, 300) + "COMMIT;\n");
            var committed = Stopwatch.StartNew();
            Eventually.True(() => ReplicaFiles.MaxL0Txid(folder) > before, TimeSpan.FromSeconds(30), () => replicate.Output);
            lags.Add(committed.Elapsed);
            Thread.Sleep(500);
        }
        var stalledAt = MaxTxid(direct);
        Assert.True(stalledAt < ReplicaFiles.MaxL0Txid(folder), "S3 kept receiving files through the cut proxy");
        // Two sync intervals (1 s each) at most, for every commit of the outage.
        Assert.True(lags.Max() < TimeSpan.FromSeconds(2), $"folder lag up to {lags.Max().TotalMilliseconds:0} ms over {lags.Count} commits");

        proxy.Restore();
        var last = ReplicaFiles.MaxL0Txid(folder);
        Eventually.True(() => MaxTxid(direct) >= last, TimeSpan.FromSeconds(90), () => replicate.Output);
        Assert.Equal(0, replicate.Stop());
        LitestreamCli.Run("verify", direct).EnsureSuccess("verify the replica that was down");
        Assert.Equal(Sqlite3.Dump(db), Restore(direct));
        Assert.Equal(Sqlite3.Dump(db), Restore("file://" + folder));
    }

    [Fact]
    public void Past_max_local_ltx_bytes_a_stalled_replica_goes_on_from_a_snapshot_and_local_files_stay_bounded()
    {
        using var proxy = S3Proxy(out var direct, out var viaProxy);
        var (db, folder, config) = Setup(viaProxy, "    max-local-ltx-bytes: 256KB\n");
        using var replicate = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(folder) >= 1 && Complete(direct), TimeSpan.FromSeconds(60), () => replicate.Output);

        proxy.Cut();
        var random = new Random(71);
        var local = Path.Combine(_dir.File(".app.db-litestream"), "ltx", "0");
        long largest = 0;
        for (var i = 0; i < 40 && !replicate.Output.Contains("over max-local-ltx-bytes", StringComparison.Ordinal); i++)
        {
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 20, 2000) + "COMMIT;\n");
            Thread.Sleep(300);
        }
        Eventually.True(() => replicate.Output.Contains("over max-local-ltx-bytes", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => replicate.Output);
        for (var i = 0; i < 20; i++)
        {
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 20, 2000) + "COMMIT;\n");
            Thread.Sleep(300);
            // A file pruned between the listing and its size counts for nothing.
            largest = Math.Max(largest, new DirectoryInfo(local).EnumerateFiles("*.ltx").Sum(f => f.Exists ? f.Length : 0));
        }
        // The budget, plus the full file the stalled replica goes on from and what came since (about the database's size each).
        var pages = long.Parse(Sqlite3.Execute(db, "PRAGMA page_count;").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var bound = (256 << 10) + 3 * pages * 4096;
        Assert.True(largest < bound, $"local L0 files reached {largest} bytes (bound {bound})");

        proxy.Restore();
        var last = ReplicaFiles.MaxL0Txid(folder);
        Eventually.True(() => MaxTxid(direct) >= last, TimeSpan.FromSeconds(90), () => replicate.Output);
        Assert.Contains("continuing at TXID", replicate.Output, StringComparison.Ordinal);
        Assert.Equal(0, replicate.Stop());
        var snapshots = JsonDocument.Parse(LitestreamCli.Run("ltx", "-level", "9", "-json", direct).EnsureSuccess("ltx").StandardOutput).RootElement;
        Assert.True(snapshots.GetArrayLength() >= 1, snapshots.ToString());
        LitestreamCli.Run("verify", direct).EnsureSuccess("verify the replica that went on from a snapshot");
        Assert.Equal(Sqlite3.Dump(db), Restore(direct));
        Assert.Equal(Sqlite3.Dump(db), Restore("file://" + folder));
    }

    [Fact]
    public void A_replica_added_after_the_local_files_were_pruned_goes_on_from_a_full_file()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(73), 30));
        var first = _dir.File("first");
        var added = _dir.File("added");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {first}\n");
        using (var replicate = ReplicateProcess.Start("-config", config))
        {
            for (var i = 0; i < 4; i++)
            {
                var before = ReplicaFiles.MaxL0Txid(first);
                Eventually.True(() => ReplicaFiles.MaxL0Txid(first) >= Math.Max(1, before), TimeSpan.FromSeconds(30), () => replicate.Output);
                Sqlite3.Execute(db, RandomRows.Inserts(new Random(i), 5));
                Eventually.True(() => ReplicaFiles.MaxL0Txid(first) > Math.Max(1, before), TimeSpan.FromSeconds(30), () => replicate.Output);
            }
            Assert.True(replicate.Stop() == 0, replicate.Output);
        }
        // What level 1 merging does to local files the replica holds: all but the newest are gone.
        var local = Directory.GetFiles(Path.Combine(_dir.File(".app.db-litestream"), "ltx", "0"), "*.ltx").Order(StringComparer.Ordinal).ToList();
        Assert.True(local.Count > 1, string.Join(", ", local));
        local.SkipLast(1).ToList().ForEach(File.Delete);
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replicas:\n      - name: first\n        path: {first}\n      - name: added\n        path: {added}\n");
        using (var replicate = ReplicateProcess.Start("-config", config))
        {
            Eventually.True(() => ReplicaFiles.MaxL0Txid(added) >= 1, TimeSpan.FromSeconds(30), () => replicate.Output);
            Assert.Equal(0, replicate.Stop());
            Assert.Contains("replica added is at TXID 0000000000000000 and the local L0 file after it is gone", replicate.Output, StringComparison.Ordinal);
        }
        Assert.Equal(Sqlite3.Dump(db), Restore("file://" + added));
        Assert.Equal(Sqlite3.Dump(db), Restore("file://" + first));
    }

    public void Dispose() => _dir.Dispose();

    private static TcpFaultProxy S3Proxy(out string direct, out string viaProxy)
    {
        var endpoint = new Uri(Environment.GetEnvironmentVariable("LSA_S3_ENDPOINT")
            ?? throw new InvalidOperationException("LSA_S3_ENDPOINT is not set: run ./test.sh, which starts the test servers"));
        Environment.SetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY", "S3RVER");
        var proxy = new TcpFaultProxy(endpoint.Host, endpoint.Port);
        var prefix = $"s3://lsa-test/multi-{Guid.NewGuid():N}/app";
        direct = $"{prefix}?endpoint=http://{endpoint.Host}:{endpoint.Port}&forcePathStyle=true";
        viaProxy = $"{prefix}?endpoint=http://127.0.0.1:{proxy.Port}&forcePathStyle=true";
        return proxy;
    }

    private (string Db, string Folder, string Config) Setup(string s3Url, string databaseOptions)
    {
        var db = _dir.File("app.db");
        var folder = _dir.File("folder");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n{databaseOptions}    replicas:\n"
            + $"      - name: folder\n        path: {folder}\n      - name: s3\n        url: {s3Url}\n");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(72), 30));
        return (db, folder, config);
    }

    // s3rver lists an object from the start of its PUT and keeps what arrived when the connection is cut (S3 keeps
    // nothing): the cut must come after the first file is whole, or the replica holds a truncated file S3 never would.
    private static bool Complete(string url) => MaxTxid(url) >= 1 && LitestreamCli.Run("verify", url).ExitCode == 0;

    private static ulong MaxTxid(string url)
    {
        var run = LitestreamCli.Run("ltx", "-json", url);
        return run.ExitCode != 0 ? 0 : JsonDocument.Parse(run.StandardOutput).RootElement.EnumerateArray()
            .Select(f => ulong.Parse(f.GetProperty("max_txid").GetString()!, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0UL).Max();
    }

    private string Restore(string url)
    {
        var output = _dir.File($"restored-{Guid.NewGuid():N}.db");
        LitestreamCli.Run("restore", "-integrity-check", "full", "-o", output, url).EnsureSuccess("restore " + url);
        return Sqlite3.Dump(output);
    }
}
