using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Replicate to each real server ./test.sh starts and restore from it, by URL: s3rver (credentials from the
/// environment), nats-server with JetStream (credentials in the URL; the bucket is created on first use) and sshd
/// (key login, host key verified), azurite (account key from the environment) and apache2 with mod_dav (password in the
/// URL) and, for Google Cloud Storage, where no emulator installs here, the JSON-API server inside the tests.
/// </summary>
public sealed class BackendReplicationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private GcsJsonApiServer? _gcs;

    [Theory]
    [InlineData("s3")]
    [InlineData("nats")]
    [InlineData("sftp")]
    [InlineData("abs")]
    [InlineData("webdav")]
    [InlineData("gs")]
    public async Task A_database_replicated_to_the_backend_restores_to_the_same_dump(string backend)
    {
        var url = await Url(backend);
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(5), 50));

        using var replicate = ReplicateProcess.Start(db, url);
        Eventually.True(() => Listed(url) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(new Random(6), 300, 1500) + "COMMIT;\nDELETE FROM t WHERE id % 3 = 0;\n");
        Assert.Equal(0, replicate.Stop());
        AssertNoSecret(replicate.Output);

        var restored = _dir.File("restored.db");
        var restore = LitestreamCli.Run("restore", "-integrity-check", "full", "-o", restored, url).EnsureSuccess($"restore from {backend}");
        AssertNoSecret(restore.StandardOutput + restore.StandardError);
        var listing = LitestreamCli.Run("ltx", url);
        AssertNoSecret(listing.StandardOutput + listing.StandardError);
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
        if (backend == "s3")
        {
            AssertUpstreamS3Layout(new Uri(url).AbsolutePath.Trim('/'));
        }
    }

    [Theory]
    [InlineData("s3", "LSA_S3_ENDPOINT")]
    [InlineData("nats", "LSA_NATS_URL")]
    [InlineData("sftp", "LSA_SFTP_URL")]
    [InlineData("webdav", "LSA_WEBDAV_URL")]
    public async Task A_replica_server_that_goes_away_and_comes_back_misses_no_transaction(string backend, string serverVariable)
    {
        var server = new Uri(Environment.GetEnvironmentVariable(serverVariable) ?? throw new InvalidOperationException($"{serverVariable} is not set"));
        using var proxy = new TcpFaultProxy(server.Host, server.Port);
        var url = await Url(backend);
        var viaProxy = url.Replace($"127.0.0.1:{server.Port}", $"127.0.0.1:{proxy.Port}", StringComparison.Ordinal);
        Assert.NotEqual(url, viaProxy);
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(7), 20));

        using var replicate = ReplicateProcess.Start(db, viaProxy);
        Eventually.True(() => Listed(url) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        proxy.Cut();
        for (var i = 0; i < 5; i++)
        {
            Sqlite3.Execute(db, RandomRows.Inserts(new Random(100 + i), 30, 1000 + i * 100));
            Thread.Sleep(400);
        }
        Eventually.True(() => replicate.Output.Contains("retrying in", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => replicate.Output);
        proxy.Restore();
        Sqlite3.Execute(db, "DELETE FROM t WHERE id % 4 = 0;");
        var exit = replicate.Stop();
        Assert.True(exit == 0, $"exit {exit}:\n{replicate.Output}");

        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-integrity-check", "full", "-o", restored, url).EnsureSuccess($"restore from {backend}");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
    }

    [Fact]
    public async Task A_second_writer_for_the_same_replica_says_who_holds_the_lease_and_writes_nothing()
    {
        var url = await Url("abs");
        var first = _dir.File("first.db");
        var second = _dir.File("second.db");
        Sqlite3.Execute(first, RandomRows.Schema + RandomRows.Inserts(new Random(8), 40));
        Sqlite3.Execute(second, RandomRows.Schema + RandomRows.Inserts(new Random(9), 40));

        using var holder = ReplicateProcess.Start(first, url);
        Eventually.True(() => holder.Output.Contains("holding lock.json", StringComparison.Ordinal) && Listed(url) >= 1, TimeSpan.FromSeconds(60), () => holder.Output);
        using var intruder = ReplicateProcess.Start(second, url);
        Eventually.True(() => intruder.Output.Contains("lock.json is held by " + Environment.MachineName + ":", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => intruder.Output);
        Sqlite3.Execute(second, RandomRows.Inserts(new Random(10), 20));
        Sqlite3.Execute(first, RandomRows.Inserts(new Random(11), 20));
        // The intruder backed nothing up, and says so: exit 1 with the holder named.
        Assert.Equal(1, intruder.Stop());
        var finalSync = intruder.Output.Split('\n').Single(line => line.Contains("final sync failed: ", StringComparison.Ordinal));
        Assert.Contains("waiting: lock.json is held by " + Environment.MachineName + ":", finalSync, StringComparison.Ordinal);
        Assert.Equal(0, holder.Stop());

        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-o", restored, url).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(first), Sqlite3.Dump(restored));
    }

    public void Dispose()
    {
        _dir.Dispose();
        _gcs?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private async Task<string> Url(string backend)
    {
        if (backend == "s3")
        {
            return TestServers.S3Url("app");
        }
        if (backend == "sftp")
        {
            return TestServers.SftpUrl();
        }
        if (backend == "gs")
        {
            _gcs = await GcsJsonApiServer.StartAsync();
            return $"gs://bucket/e2e/app?endpoint={_gcs.Endpoint}";
        }
        return backend switch
        {
            "abs" => TestServers.AzureUrl(),
            "webdav" => TestServers.WebDavUrl(),
            _ => TestServers.NatsUrl(),
        };
    }

    // Every credential the test servers take, whether it reached the command line (URL) or the environment.
    private static void AssertNoSecret(string output)
    {
        foreach (var secret in new[] { "lsa-secret", "dav-secret", "S3RVER", Environment.GetEnvironmentVariable("LSA_AZURE_KEY")! })
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    // Checked with the aws CLI, a client independent of ours: every key is <path>/<level %04x>/<min>-<max>.ltx.
    private static void AssertUpstreamS3Layout(string prefix)
    {
        var result = ProcessRunner.Run(
            "/usr/bin/aws",
            ["--endpoint-url", Environment.GetEnvironmentVariable("LSA_S3_ENDPOINT")!, "--output", "json", "s3api", "list-objects", "--bucket", "lsa-test", "--prefix", prefix + "/"],
            environment: new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER", ["AWS_DEFAULT_REGION"] = "us-east-1" });
        result.EnsureSuccess("aws s3api list-objects");
        var keys = System.Text.Json.JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("Contents").EnumerateArray()
            .Select(o => o.GetProperty("Key").GetString()!).ToList();
        Assert.Contains(keys, k => k.StartsWith(prefix + "/0000/0000000000000001-", StringComparison.Ordinal));
        Assert.All(keys, k => Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(prefix)}/000[0-9]/[0-9a-f]{{16}}-[0-9a-f]{{16}}\\.ltx$", k));
    }

    private static int Listed(string url)
    {
        var result = LitestreamCli.Run("ltx", "-json", url);
        return result.ExitCode == 0 ? System.Text.Json.JsonDocument.Parse(result.StandardOutput).RootElement.GetArrayLength() : 0;
    }
}
