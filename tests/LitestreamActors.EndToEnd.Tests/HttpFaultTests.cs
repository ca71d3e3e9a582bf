using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Replication to each HTTP backend through a proxy that answers requests itself with 500, 503 and 429 (with
/// Retry-After) while a writer commits: after each fault replication goes on with no gap (<c>sync -wait</c> comes back),
/// an outage of 503s draws a bounded number of requests, and the replica restores to the source.
/// </summary>
public sealed class HttpFaultTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("s3")]
    [InlineData("abs")]
    [InlineData("webdav")]
    [InlineData("gs")]
    public async Task Error_statuses_and_an_outage_leave_no_gap_and_no_retry_storm(string backend)
    {
        await using var gcs = backend == "gs" ? await GcsJsonApiServer.StartAsync() : null;
        var (direct, server) = gcs is null ? Url(backend) : ($"gs://bucket/e2e/app?endpoint={gcs.Endpoint}", gcs.Endpoint);
        using var proxy = new HttpFaultProxy(server);
        var proxied = direct.Replace(new Uri(server).Authority, $"127.0.0.1:{proxy.Port}", StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(new Uri(server).Authority), Uri.EscapeDataString($"127.0.0.1:{proxy.Port}"), StringComparison.Ordinal);
        Assert.NotEqual(direct, proxied);
        var db = _dir.File("app.db");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      url: {proxied}\n      sync-interval: 100ms\n");
        Sqlite3.Execute(db, Ledger.Schema);
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        using var stop = new CancellationTokenSource();
        var writing = DotNetLedgerWriter.RunAsync(db, new LedgerLoad(1, int.MaxValue, 5, 200, Rate: 20), stop.Token);
        Sync(config, db, node);

        foreach (var (status, retryAfter) in new[] { (500, 0), (503, 0), (429, 1) })
        {
            proxy.Fail(4, status, retryAfter);
            await Task.Delay(1500);
            Sync(config, db, node);
        }

        // bench/outage.sh makes it 60 s.
        var seconds = int.Parse(Environment.GetEnvironmentVariable("LSA_OUTAGE_SECONDS") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        var before = proxy.Requests;
        proxy.Fail(int.MaxValue, 503);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var during = proxy.Requests - before;
        proxy.Fail(0, 503);
        output.WriteLine($"{backend}: {during} requests during a {seconds} s outage of 503s");
        Assert.True(during <= 4 * seconds, $"{during} requests during a {seconds} s outage:\n{string.Join('\n', proxy.Seen.Skip(before))}\n{node.Output}");
        Sync(config, db, node);

        await stop.CancelAsync();
        await writing;
        Sync(config, db, node);
        Assert.True(node.Stop() == 0, node.Output);
        Assert.Null(Ledger.Problem(db));
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump(direct, _dir.File("latest.db")));
    }

    public void Dispose() => _dir.Dispose();

    private static void Sync(string config, string db, ReplicateProcess node) =>
        LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "60", db).EnsureSuccess("sync -wait\n" + node.Output);

    private static (string Url, string Server) Url(string backend) => backend switch
    {
        "s3" => (TestServers.S3Url("app"), TestServers.Require("LSA_S3_ENDPOINT")),
        "abs" => (TestServers.AzureUrl(), TestServers.Require("LSA_AZURE_ENDPOINT")),
        _ => (TestServers.WebDavUrl(), new Uri(TestServers.Require("LSA_WEBDAV_URL")).GetLeftPart(UriPartial.Authority)),
    };
}
