using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Restores from each real server through a proxy that resets connections in the middle of responses: the download
/// picks up where it broke (a ranged read on the HTTP backends) and the restore equals the source; a link that breaks
/// every time ends in one line and exit 1 with nothing at the output path. A follower (`restore -f`) through such a
/// proxy keeps up with the source.
/// </summary>
public sealed class DownloadResumeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("s3", "LSA_S3_ENDPOINT", true)]
    [InlineData("abs", "LSA_AZURE_ENDPOINT", true)]
    [InlineData("webdav", "LSA_WEBDAV_URL", true)]
    [InlineData("sftp", "LSA_SFTP_URL", false)]
    [InlineData("nats", "LSA_NATS_URL", false)]
    public void A_download_cut_short_resumes_and_one_that_always_breaks_is_one_line(string backend, string server, bool http) =>
        DownloadsCutShortResume(Url(backend), new Uri(TestServers.Require(server)).Port, http);

    [Fact]
    public async Task A_download_from_gcs_cut_short_resumes_and_one_that_always_breaks_is_one_line()
    {
        await using var gcs = await GcsJsonApiServer.StartAsync();
        DownloadsCutShortResume($"gs://bucket/e2e/app?endpoint={gcs.Endpoint}", new Uri(gcs.Endpoint).Port, http: true);
    }

    private void DownloadsCutShortResume(string url, int serverPort, bool http)
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(90), 1500, 1000));
        using (var node = ReplicateProcess.Start(db, url))
        {
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(new Random(91), 50, 1000) + "COMMIT;\n");
            Thread.Sleep(2000);
            Assert.True(node.Stop() == 0, node.Output);
        }
        using var proxy = new TcpFaultProxy("127.0.0.1", serverPort);
        var throughProxy = ThroughProxy(url, serverPort, proxy);

        proxy.CutDownloads(3, 128 << 10);
        var output = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-o", output, throughProxy).EnsureSuccess("restore through downloads cut short");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(output));
        if (http)
        {
            Assert.True(proxy.Uploaded.Contains("range: bytes=", StringComparison.OrdinalIgnoreCase), proxy.Uploaded);
        }

        proxy.CutDownloads(1000, 32 << 10);
        var broken = _dir.File("broken.db");
        var failed = LitestreamCli.Run("restore", "-o", broken, throughProxy);
        Assert.Equal(1, failed.ExitCode);
        Assert.Single(failed.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(broken) || File.Exists(broken + ".tmp"), "a failed restore left a file behind");
    }

    [Theory]
    [InlineData("s3", "LSA_S3_ENDPOINT")]
    [InlineData("webdav", "LSA_WEBDAV_URL")]
    [InlineData("nats", "LSA_NATS_URL")]
    public void A_follower_whose_downloads_are_cut_short_keeps_up_with_the_source(string backend, string server)
    {
        var url = Url(backend);
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(92), 600, 1000));
        using var node = ReplicateProcess.Start(db, url);
        var probe = _dir.File("probe.db");
        Eventually.True(() => LitestreamCli.Run("restore", "-if-replica-exists", "-o", probe, url).ExitCode == 0 && File.Exists(probe),
            TimeSpan.FromSeconds(60), () => node.Output);
        var port = new Uri(TestServers.Require(server)).Port;
        using var proxy = new TcpFaultProxy("127.0.0.1", port);
        var throughProxy = ThroughProxy(url, port, proxy);
        proxy.CutDownloads(4, 96 << 10);

        var output = _dir.File("follower.db");
        using var follower = ReplicateProcess.StartRestoreFollow("-follow-interval", "200ms", "-o", output, throughProxy);
        for (var i = 0; i < 4; i++)
        {
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(new Random(93 + i), 150, 1000 + i * 200) + "COMMIT;\n");
            Thread.Sleep(700);
        }
        var expected = Sqlite3.Dump(db);
        Eventually.True(() => File.Exists(output) && Sqlite3.Dump(output) == expected, TimeSpan.FromSeconds(90), () => follower.Output);
        Assert.Equal(0, follower.Stop());
        Assert.Equal(0, node.Stop());
    }

    public void Dispose() => _dir.Dispose();

    private static string ThroughProxy(string url, int serverPort, TcpFaultProxy proxy)
    {
        var direct = $"127.0.0.1:{serverPort}";
        var proxied = $"127.0.0.1:{proxy.Port}";
        var throughProxy = url.Replace(direct, proxied, StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(direct), Uri.EscapeDataString(proxied), StringComparison.Ordinal);
        Assert.NotEqual(url, throughProxy);
        return throughProxy;
    }

    private static string Url(string backend) => backend switch
    {
        "s3" => TestServers.S3Url("app"),
        "sftp" => TestServers.SftpUrl(),
        "abs" => TestServers.AzureUrl(),
        "nats" => TestServers.NatsUrl(),
        _ => TestServers.WebDavUrl(),
    };
}
