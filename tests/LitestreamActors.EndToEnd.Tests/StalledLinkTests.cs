using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// One database replicated to every real server at once, each through its own fault proxy (docs/reliability.md): a
/// black hole that freezes every connection for good, which only the clients' own stall detection gets past,
/// and a 64 KB/s link on upload. Replication goes on with no gap and every replica restores to the source.
/// </summary>
public sealed class StalledLinkTests : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<TcpFaultProxy> _proxies = [];
    private GcsJsonApiServer? _gcs;

    [Fact]
    public async Task Connections_frozen_for_good_are_given_up_and_replication_goes_on_with_no_gap()
    {
        var (db, config, replicas) = await Replicas(["s3", "nats", "sftp", "abs", "webdav", "gs"]);
        using var node = Started(config);
        Sync(config, db, 60);

        _proxies.ForEach(p => p.Stall());
        for (var i = 0; i < 3; i++)
        {
            Sqlite3.Execute(db, RandomRows.Inserts(new Random(40 + i), 40, 2000 + i * 100));
            Thread.Sleep(500);
        }
        Thread.Sleep(2000);
        _proxies.ForEach(p => p.EndStall());
        Sync(config, db, 180);
        Sqlite3.Execute(db, "DELETE FROM t WHERE id % 5 = 0;");
        Sync(config, db, 60);
        Assert.True(node.Stop() == 0, node.Output);

        foreach (var (backend, proxy) in replicas.Keys.Zip(_proxies))
        {
            Assert.True(proxy.EverFrozen > 0, $"{backend}: the stall froze none of its connections");
        }
        AssertEveryReplicaRestores(db, replicas, node.Output);
    }

    [Fact]
    public async Task A_64_KB_per_second_link_slows_replication_down_and_loses_nothing()
    {
        var (db, config, replicas) = await Replicas(["s3", "nats", "sftp", "abs", "webdav", "gs"]);
        using var node = Started(config);
        Sync(config, db, 60);

        _proxies.ForEach(p => p.UploadBytesPerSecond = 64 << 10);
        Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(new Random(50), 400, 3000) + "COMMIT;\n");
        Sync(config, db, 180);
        // A stopping node lets a running upload finish for 5 s only; at 64 KB/s a compaction of these rows takes longer,
        // and s3rver, unlike S3, keeps a body cut short as the object.
        _proxies.ForEach(p => p.UploadBytesPerSecond = 0);
        Thread.Sleep(2000);
        Assert.True(node.Stop() == 0, node.Output);
        AssertEveryReplicaRestores(db, replicas, node.Output);
    }

    [Fact]
    public async Task A_compaction_still_uploading_when_the_node_stops_finishes_before_its_connection_closes()
    {
        // s3rver, unlike S3, keeps a body cut short as the object: a cut upload would leave a broken level-1 file.
        var (db, config, replicas) = await Replicas(["s3"]);
        File.WriteAllText(config, "levels:\n  - interval: 1s\n" + File.ReadAllText(config));
        using var node = Started(config);
        Sync(config, db, 60);

        var proxy = _proxies.Single();
        proxy.UploadBytesPerSecond = 256 << 10;
        Sqlite3.Execute(db, "CREATE TABLE big(b BLOB); INSERT INTO big VALUES(randomblob(700000));");
        Sync(config, db, 60);
        Eventually.True(() => System.Text.RegularExpressions.Regex.IsMatch(proxy.Uploaded, "PUT /[^ ]*/0001/"), TimeSpan.FromSeconds(30), () => node.Output);
        Assert.True(node.Stop() == 0, node.Output);

        var verify = LitestreamCli.Run("verify", replicas["s3"]);
        Assert.True(verify.ExitCode == 0, $"verify: {verify.StandardOutput}{verify.StandardError}\nthe node's log:\n{node.Output}");
        AssertEveryReplicaRestores(db, replicas, node.Output);
    }

    public async ValueTask DisposeAsync()
    {
        _proxies.ForEach(p => p.Dispose());
        if (_gcs is not null)
        {
            await _gcs.DisposeAsync();
        }
        _dir.Dispose();
    }

    private static ReplicateProcess Started(string config)
    {
        var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        return node;
    }

    private static void Sync(string config, string db, int seconds) =>
        LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), db)
            .EnsureSuccess($"sync -wait within {seconds} s");

    private void AssertEveryReplicaRestores(string db, IReadOnlyDictionary<string, string> replicas, string log)
    {
        var source = Sqlite3.Dump(db);
        foreach (var (backend, url) in replicas)
        {
            var restored = _dir.File($"restored-{backend}.db");
            var restore = LitestreamCli.Run("restore", "-o", restored, url);
            Assert.True(restore.ExitCode == 0, $"restore from {backend}: {restore.StandardError}\nthe node's log:\n{log}");
            Assert.True(source == Sqlite3.Dump(restored), $"{backend}: the restore differs from the source");
        }
    }

    // The database, a config with one replica per backend, each through its own proxy, and each replica's direct URL.
    private async Task<(string Db, string Config, Dictionary<string, string> Replicas)> Replicas(string[] backends)
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(30), 50));
        var replicas = new Dictionary<string, string>();
        var yaml = new System.Text.StringBuilder($"dbs:\n  - path: {db}\n    replicas:\n");
        foreach (var backend in backends)
        {
            var (url, server) = await Direct(backend);
            var address = new Uri(server);
            var proxy = new TcpFaultProxy("127.0.0.1", address.Port);
            _proxies.Add(proxy);
            var direct = $"127.0.0.1:{address.Port}";
            var proxied = $"127.0.0.1:{proxy.Port}";
            var throughProxy = url.Replace(direct, proxied, StringComparison.Ordinal)
                .Replace(Uri.EscapeDataString(direct), Uri.EscapeDataString(proxied), StringComparison.Ordinal);
            Assert.NotEqual(url, throughProxy);
            replicas[backend] = url;
            yaml.Append($"      - name: {backend}\n        url: \"{throughProxy}\"\n");
        }
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, yaml.ToString());
        return (db, config, replicas);
    }

    private async Task<(string Url, string Server)> Direct(string backend)
    {
        switch (backend)
        {
            case "s3":
                return (TestServers.S3Url("app"), TestServers.Require("LSA_S3_ENDPOINT"));
            case "nats":
                return (TestServers.NatsUrl(), TestServers.Require("LSA_NATS_URL"));
            case "sftp":
                return (TestServers.SftpUrl(), TestServers.Require("LSA_SFTP_URL"));
            case "abs":
                return (TestServers.AzureUrl(), TestServers.Require("LSA_AZURE_ENDPOINT"));
            case "webdav":
                return (TestServers.WebDavUrl(), TestServers.Require("LSA_WEBDAV_URL"));
            default:
                _gcs = await GcsJsonApiServer.StartAsync();
                return ($"gs://bucket/e2e/app?endpoint={_gcs.Endpoint}", _gcs.Endpoint);
        }
    }
}
