using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Restores from each real server through a proxy that resets connections in the middle of responses: the download
/// picks up where it broke (a ranged read on the HTTP backends) and the restore equals the source; a link that breaks
/// every time ends in one line and exit 1 with nothing at the output path.
/// </summary>
public sealed class DownloadResumeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("s3", "LSA_S3_ENDPOINT", true)]
    [InlineData("abs", "LSA_AZURE_ENDPOINT", true)]
    [InlineData("webdav", "LSA_WEBDAV_URL", true)]
    [InlineData("sftp", "LSA_SFTP_URL", false)]
    public void A_download_cut_short_resumes_and_one_that_always_breaks_is_one_line(string backend, string server, bool http)
    {
        var url = Url(backend);
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(90), 1500, 1000));
        using (var node = ReplicateProcess.Start(db, url))
        {
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(new Random(91), 50, 1000) + "COMMIT;\n");
            Thread.Sleep(2000);
            Assert.True(node.Stop() == 0, node.Output);
        }
        var address = new Uri(TestServers.Require(server));
        using var proxy = new TcpFaultProxy("127.0.0.1", address.Port);
        var direct = $"127.0.0.1:{address.Port}";
        var proxied = $"127.0.0.1:{proxy.Port}";
        var throughProxy = url.Replace(direct, proxied, StringComparison.Ordinal)
            .Replace(Uri.EscapeDataString(direct), Uri.EscapeDataString(proxied), StringComparison.Ordinal);
        Assert.NotEqual(url, throughProxy);

        proxy.CutDownloads(3, 128 << 10);
        var output = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-o", output, throughProxy).EnsureSuccess("restore through downloads cut short");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(output));
        if (http)
        {
            Assert.Contains("range: bytes=", proxy.Uploaded, StringComparison.OrdinalIgnoreCase);
        }

        proxy.CutDownloads(1000, 32 << 10);
        var broken = _dir.File("broken.db");
        var failed = LitestreamCli.Run("restore", "-o", broken, throughProxy);
        Assert.Equal(1, failed.ExitCode);
        Assert.Single(failed.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(broken) || File.Exists(broken + ".tmp"), "a failed restore left a file behind");
    }

    public void Dispose() => _dir.Dispose();

    private static string Url(string backend) => backend switch
    {
        "s3" => TestServers.S3Url("app"),
        "sftp" => TestServers.SftpUrl(),
        "abs" => TestServers.AzureUrl(),
        _ => TestServers.WebDavUrl(),
    };
}
