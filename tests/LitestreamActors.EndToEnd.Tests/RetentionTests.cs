using System.Globalization;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// A minute of commits with every level, snapshot and retention at seconds (levels 1s/3s/10s, L1 kept 3s and L2 8s
/// once covered, snapshots every 15s kept 20s, L0 kept 2s after level 1 covers it), replicated to a folder and to
/// S3: the replica holds L1–L3 and L9 files, files go on time, the file count stays bounded while commits pile up,
/// every restore point left (by TXID and by its timestamp) restores to the source's <c>.dump</c> then, Litestream
/// 0.5.17 reads the result — and restores from S3 made slow by a throttling proxy, so that retention deletes files
/// they planned while they run, all succeed.
/// </summary>
public sealed class RetentionTests : IDisposable
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_minute_of_commits_stays_bounded_and_everything_inside_retention_restores()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        var s3 = S3Url(Environment.GetEnvironmentVariable("LSA_S3_ENDPOINT")
            ?? throw new InvalidOperationException("LSA_S3_ENDPOINT is not set: run ./test.sh, which starts the test servers"));
        File.WriteAllText(config, $"""
            levels:
              - interval: 1s
                retention: 3s
              - interval: 3s
                retention: 8s
              - interval: 10s
            snapshot:
              interval: 15s
              retention: 20s
            l0-retention: 2s
            l0-retention-check-interval: 1s
            dbs:
              - path: {db}
                monitor-interval: 100ms
                replicas:
                  - path: {replica}
                    sync-interval: 100ms
                  - url: {s3.Direct}
                    sync-interval: 100ms
            """);
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(30), 40));

        using var replicate = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        var dumps = new Dictionary<ulong, string>();
        var fileCounts = new List<(TimeSpan At, int Files)>();
        var random = new Random(31);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var proxy = new TcpFaultProxy("127.0.0.1", s3.Port) { DownloadBytesPerSecond = 48 << 10 };
        List<(int ExitCode, string Error, ulong Txid, string Dump)> restores = [];
        var racing = new Thread(() => restores = RacingRestores(s3.Through(proxy.Port), clock));
        racing.Start();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var before = ReplicaFiles.MaxL0Txid(replica);
            var counter = Counter(db);
            Sqlite3.Execute(db, "BEGIN;\n" + (random.Next(5) == 0 ? "DELETE FROM t WHERE id % 7 = 1;\n" : string.Empty) + RandomRows.Inserts(random, 8, 400) + "COMMIT;\n");
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > before, TimeSpan.FromSeconds(30), () => replicate.Output);
            // Our checkpoint (each minute) bumps _litestream_seq as a TXID of its own: if it came meanwhile, the TXID
            // seen may be the bump's, without this commit, so the moment is not recorded.
            var txid = ReplicaFiles.MaxL0Txid(replica);
            var dump = Sqlite3.AppDump(db);
            if (Counter(db) == counter)
            {
                dumps[txid] = dump;
            }
            fileCounts.Add((clock.Elapsed, Enumerable.Range(0, 10).Sum(l => ReplicaFiles.List(replica, l).Count)));
            Thread.Sleep(100);
        }
        var last = dumps.Keys.Max();
        Eventually.True(() => ReplicaFiles.MaxTxid(replica, 3) >= last, TimeSpan.FromSeconds(30), () => replicate.Output);
        // On a loaded machine a retention pass can start late: a file overdue now must be gone by the next one.
        var settle = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                AssertOldFilesAreGone(replica);
                break;
            }
            catch (Xunit.Sdk.XunitException) when (DateTime.UtcNow < settle)
            {
                Thread.Sleep(1000);
            }
        }
        racing.Join();
        Assert.Equal(0, replicate.Stop());

        foreach (var level in new[] { 1, 2, 3, 9 })
        {
            Assert.True(ReplicaFiles.List(replica, level).Count > 0, $"no level {level} file");
        }
        // O(levels), not O(commits): the count over the second half of the run stays far below the commits made.
        var peak = fileCounts.Where(c => c.At > TimeSpan.FromSeconds(30)).Max(c => c.Files);
        Assert.True(dumps.Count > 100 && peak < 70, $"{dumps.Count} commits, up to {peak} replica files in the second half");

        AssertEveryRestorePointLeftRestores(replica, dumps);
        Assert.Equal(Sqlite3.AppDump(db), Sqlite3.WithoutCounter(LitestreamVfs.Dump(replica)));

        Assert.True(restores.Count >= 2, $"only {restores.Count} racing restores ran");
        foreach (var restore in restores)
        {
            Assert.True(restore.ExitCode == 0, "racing restore: " + restore.Error);
        }
        var compared = restores.Where(r => dumps.ContainsKey(r.Txid)).ToList();
        Assert.NotEmpty(compared);
        Assert.All(compared, r => Assert.True(dumps[r.Txid] == r.Dump, $"racing restore of TXID {r.Txid:x} differs"));
        Assert.Contains(restores, r => r.Error.Contains("planned again", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private static string Counter(string db) => Sqlite3.Execute(db, "SELECT seq FROM _litestream_seq;");

    private static (string Direct, int Port, Func<int, string> Through) S3Url(string endpoint)
    {
        Environment.SetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY", "S3RVER");
        var prefix = $"s3://lsa-test/retention-{Guid.NewGuid():N}/app";
        var port = new Uri(endpoint).Port;
        return ($"{prefix}?endpoint={endpoint}&forcePathStyle=true", port, proxyPort => $"{prefix}?endpoint=http://127.0.0.1:{proxyPort}&forcePathStyle=true");
    }

    // Latest restores through the throttled proxy, one after another from 15 s into the run: each takes seconds, in
    // which level 1 covers the L0 files it planned and l0-retention deletes them. Every other one opens no file ahead
    // (-parallelism 1), so its last planned files are asked for only after the snapshot's seconds of download: by then
    // they are gone and it must plan again. The others open files ahead and meet a deletion only by chance.
    private List<(int ExitCode, string Error, ulong Txid, string Dump)> RacingRestores(string url, System.Diagnostics.Stopwatch clock)
    {
        var results = new List<(int, string, ulong, string)>();
        Thread.Sleep(TimeSpan.FromSeconds(15));
        for (var i = 0; clock.Elapsed < TimeSpan.FromSeconds(50); i++)
        {
            var output = _dir.File($"racing-{i}.db");
            var run = i % 2 == 0
                ? LitestreamCli.Run("restore", "-json", "-parallelism", "1", "-o", output, url)
                : LitestreamCli.Run("restore", "-json", "-o", output, url);
            var txid = run.ExitCode == 0
                ? ulong.Parse(JsonDocument.Parse(run.StandardOutput).RootElement.GetProperty("txid").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : 0;
            results.Add((run.ExitCode, run.StandardError, txid, run.ExitCode == 0 ? Sqlite3.AppDump(output) : string.Empty));
        }
        return results;
    }

    // Each retention rule, at the moment it should have acted (plus its check interval and some slack).
    private static void AssertOldFilesAreGone(string replica)
    {
        var now = DateTimeOffset.UtcNow;
        var files = Listing(replica);
        // Files go oldest first, once covered, and only through the end of a higher level's file: overdue are those
        // through the last such end, up to which every file of the level is past its retention.
        void Check(int level, int[] covering, TimeSpan kept)
        {
            var atLevel = files.Where(f => f.Level == level).OrderBy(f => f.Max).ToList();
            var deletable = atLevel.Take(atLevel.Count - 1).ToList();
            var cutoff = now - kept - Slack;
            var covered = files.Where(f => covering.Contains(f.Level)).Select(f => f.Max).DefaultIfEmpty(0UL).Max();
            var through = files.Where(f => f.Level > level && f.Max <= covered).Select(f => f.Max)
                .Where(end => deletable.Any(f => f.Max == end) && deletable.Where(f => f.Max <= end).All(f => f.Created < cutoff))
                .DefaultIfEmpty(0UL).Max();
            var overdue = deletable.Where(f => f.Max <= through).ToList();
            Assert.True(overdue.Count == 0, $"level {level} files kept past their retention: " + string.Join(' ', overdue.Select(f => $"{f.Min:x}-{f.Max:x}@{f.Created:HH:mm:ss.fff}")));
        }
        Check(0, [1], TimeSpan.FromSeconds(2 + 1));
        Check(1, [2, 9], TimeSpan.FromSeconds(3 + 1));
        Check(2, [3, 9], TimeSpan.FromSeconds(8 + 1));
        var snapshots = files.Where(f => f.Level == 9).OrderBy(f => f.Max).ToList();
        Assert.DoesNotContain(snapshots.Take(snapshots.Count - 1), s => s.Created < now - TimeSpan.FromSeconds(20 + 15) - Slack);
    }

    private void AssertEveryRestorePointLeftRestores(string replica, Dictionary<ulong, string> dumps)
    {
        var files = Listing(replica);
        var oldestSnapshot = files.Where(f => f.Level == 9).Min(f => f.Max);
        var points = files.Where(f => f.Max >= oldestSnapshot && dumps.ContainsKey(f.Max)).GroupBy(f => f.Max).Select(g => g.First()).ToList();
        Assert.True(points.Count >= 2, $"only {points.Count} restore points left");
        foreach (var point in points)
        {
            var byTxid = _dir.File($"txid-{point.Max:x}.db");
            var restore = LitestreamCli.Run("restore", "-txid", point.Max.ToString("x16", CultureInfo.InvariantCulture), "-o", byTxid, "file://" + replica);
            Assert.True(restore.ExitCode == 0, $"restore -txid {point.Max:x}: {restore.StandardError}");
            if (dumps[point.Max] != Sqlite3.AppDump(byTxid))
            {
                Assert.Fail($"TXID {point.Max:x} restores to a different database; plan: "
                    + LitestreamCli.Run("restore", "-dry-run", "-json", "-txid", point.Max.ToString("x16", CultureInfo.InvariantCulture), "-o", _dir.File("plan.db"), "file://" + replica).StandardOutput
                    + string.Join('\n', files.Select(f => $"L{f.Level} {f.Min:x}-{f.Max:x} {f.Created:HH:mm:ss.fff}")));
            }

            var byTime = _dir.File($"time-{point.Max:x}.db");
            // Upstream's rule: files created strictly before the moment; the moment is just after this point's commit.
            var timestamp = point.Created.AddMilliseconds(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            var timed = LitestreamCli.Run("restore", "-timestamp", timestamp, "-o", byTime, "file://" + replica);
            Assert.True(timed.ExitCode == 0, $"restore -timestamp {timestamp}: {timed.StandardError}");
            if (dumps[point.Max] != Sqlite3.AppDump(byTime))
            {
                Assert.Fail($"timestamp {timestamp} (TXID {point.Max:x}) restores to a different database; plan: "
                    + LitestreamCli.Run("restore", "-dry-run", "-json", "-timestamp", timestamp, "-o", _dir.File("plan.db"), "file://" + replica).StandardOutput
                    + string.Join('\n', files.Select(f => $"L{f.Level} {f.Min:x}-{f.Max:x} {f.Created:HH:mm:ss.fff}")));
            }
        }
    }

    private static List<(int Level, ulong Min, ulong Max, DateTimeOffset Created)> Listing(string replica)
    {
        var json = JsonDocument.Parse(LitestreamCli.Run("ltx", "-level", "all", "-json", "file://" + replica).EnsureSuccess("ltx").StandardOutput);
        return json.RootElement.EnumerateArray().Select(f => (
            f.GetProperty("level").GetInt32(),
            ulong.Parse(f.GetProperty("min_txid").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(f.GetProperty("max_txid").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            DateTimeOffset.Parse(f.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture))).ToList();
    }
}
