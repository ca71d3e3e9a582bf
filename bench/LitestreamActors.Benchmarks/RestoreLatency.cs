using System.Diagnostics;
using System.Globalization;
using LitestreamActors.Storage.Replica;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Benchmarks;

/// <summary>
/// Restore from S3 (s3rver) behind a proxy that holds every request for LATENCY ms first, as a distant store does: a
/// snapshot and FILES L0 files, restored by the CLI with <c>-parallelism 1</c> (each file asked for once the one before
/// it is applied) and with the default (the next file asked for while the current one is applied), alternating, RUNS
/// each. Every restore's .dump must equal the source's, or the benchmark fails without a figure.
/// </summary>
internal static class RestoreLatency
{
    public static async Task<int> RunAsync(string litestream, int files, int latencyMilliseconds, int runs)
    {
        using var dir = new TempDirectory();
        var db = dir.File("source.db");
        var random = new Random(20);
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(random, 300));
        var writer = new ReplicaWriter(db, dir.File("local"));
        writer.Capture();
        for (var i = 0; i < files; i++)
        {
            Sqlite3.Execute(db, RandomRows.Inserts(random, 2));
            writer.Capture();
        }
        var want = Sqlite3.Dump(db);

        await using var gcs = await GcsJsonApiServer.StartAsync();
        var url = BackendEndpoints.Url("s3", gcs.Endpoint);
        await using (var s3 = ReplicaClientFactory.FromUrl(url))
        {
            foreach (var file in await writer.Client.ListAsync(0, CancellationToken.None))
            {
                await using var content = await writer.Client.OpenAsync(0, file.MinTxid, file.MaxTxid, 0, null, CancellationToken.None);
                await s3.WriteAsync(0, file.MinTxid, file.MaxTxid, content, file.CreatedAt, CancellationToken.None);
            }
        }

        var server = Environment.GetEnvironmentVariable("LSA_S3_ENDPOINT")!;
        using var proxy = new HttpFaultProxy(server) { Latency = TimeSpan.FromMilliseconds(latencyMilliseconds) };
        var viaProxy = url.Replace(server, $"http://127.0.0.1:{proxy.Port}", StringComparison.Ordinal);
        var times = new Dictionary<string, List<double>> { ["-parallelism 1"] = [], ["default"] = [] };
        for (var run = 0; run < runs; run++)
        {
            foreach (var (name, list) in times)
            {
                var output = dir.File($"restored-{run}-{list.Count}-{name.Length}.db");
                string[] parallelism = name == "default" ? [] : ["-parallelism", "1"];
                var stopwatch = Stopwatch.StartNew();
                var result = ProcessRunner.Run(litestream, ["restore", .. parallelism, "-o", output, viaProxy]);
                stopwatch.Stop();
                if (result.ExitCode != 0 || Sqlite3.Dump(output) != want)
                {
                    Console.Error.WriteLine($"FAIL: restore ({name}) did not give the source's .dump: {result.StandardError}");
                    return 1;
                }
                list.Add(stopwatch.Elapsed.TotalSeconds);
            }
        }

        var baseline = Median(times["-parallelism 1"]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{files + 1} files from s3rver, {latencyMilliseconds} ms added to every request, {runs} runs each; every restore = the source's .dump"));
        Console.WriteLine("| restore | median s | runs | ratio |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, list) in times)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(list):0.00} | {string.Join(", ", list.Select(t => t.ToString("0.00", CultureInfo.InvariantCulture)))} | {Median(list) / baseline:0.00}× |"));
        }
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
