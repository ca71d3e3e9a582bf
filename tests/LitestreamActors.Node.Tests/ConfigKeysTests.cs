using System.Text.Json;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Node.Tests;

/// <summary>
/// Every key a config accepts is acted on: setting it changes what the loader produces (and, for a backend's keys, the
/// backend's location), and every setting the loader fills is read by the product. A key that is parsed and then
/// ignored fails here; a key the product does not act on belongs in ConfigKeys' not-yet-implemented list, which warns.
/// </summary>
public sealed class ConfigKeysTests
{
    private const string Db = "/tmp/lsa-keys/app.db";

    // Keys whose absence makes the config something else (they name the database or the replica): read by definition.
    private static readonly HashSet<string> Structural = ["dbs", "path", "replica", "replicas", "type", "url", "name"];

    private static readonly Dictionary<string, string> GlobalSamples = new()
    {
        ["cluster"] = "cluster:\n  port: 4053\n",
        ["levels"] = "levels:\n  - interval: 10s\n",
        ["snapshot"] = "snapshot:\n  interval: 1h\n",
        ["l0-retention"] = "l0-retention: 1m\n",
        ["l0-retention-check-interval"] = "l0-retention-check-interval: 5s\n",
        ["retention"] = "retention:\n  enabled: false\n",
        ["verify"] = "verify:\n  interval: 1h\n",
        ["exec"] = "exec: myapp\n",
        ["addr"] = "addr: 127.0.0.1:9090\n",
        ["socket"] = "socket:\n  path: /tmp/lsa-keys/ctl.sock\n",
        ["mcp-addr"] = "mcp-addr: 127.0.0.1:3001\n",
        ["mcp"] = "mcp:\n  restore-dir: /tmp/lsa-keys/restores\n",
        ["api-token"] = "api-token: t0ken\n",
        ["data-dir"] = "data-dir: /tmp/lsa-keys/data\n",
        ["logging"] = "logging:\n  level: debug\n",
        ["standbys"] = "standbys:\n  - replica: s3://bucket/standby\n    path: /tmp/lsa-keys/standby.db\n",
    };

    private static readonly Dictionary<string, string> DatabaseSamples = new()
    {
        ["meta-path"] = "/tmp/lsa-keys/meta",
        ["monitor-interval"] = "5s",
        ["checkpoint-interval"] = "5m",
        ["min-checkpoint-page-count"] = "10",
        ["truncate-page-n"] = "500",
        ["busy-timeout"] = "5s",
        ["max-local-ltx-bytes"] = "1MB",
        ["restore-if-db-not-exists"] = "true",
    };

    private static readonly Dictionary<string, string> ReplicaSamples = new()
    {
        ["sync-interval"] = "10s",
        ["retention"] = "2h",
        ["snapshot-interval"] = "2h",
    };

    // Each backend option with a replica of a backend that takes it.
    private static readonly Dictionary<string, (string Url, string Value)> BackendSamples = new()
    {
        ["bucket"] = ("s3://b/p", "other"),
        ["region"] = ("s3://b/p", "eu-west-1"),
        ["endpoint"] = ("s3://b/p", "http://127.0.0.1:9000"),
        ["force-path-style"] = ("s3://b/p", "true"),
        ["skip-verify"] = ("s3://b/p", "true"),
        ["access-key-id"] = ("s3://b/p", "AKIA"),
        ["secret-access-key"] = ("s3://b/p", "secret"),
        ["part-size"] = ("s3://b/p", "10MB"),
        ["concurrency"] = ("s3://b/p", "2"),
        ["storage-class"] = ("s3://b/p", "GLACIER"),
        ["sse-customer-key"] = ("s3://b/p", "0123456789abcdef0123456789abcdef"),
        ["sse-customer-key-path"] = ("s3://b/p", "KEYFILE"),
        ["sse-customer-algorithm"] = ("s3://b/p", "AES128"),
        ["sse-kms-key-id"] = ("s3://b/p", "key-1"),
        ["sign-payload"] = ("s3://b/p", "false"),
        ["require-content-md5"] = ("s3://b/p", "false"),
        ["username"] = ("nats://127.0.0.1:4222/b", "u"),
        ["password"] = ("nats://127.0.0.1:4222/b", "p"),
        ["token"] = ("nats://127.0.0.1:4222/b", "t"),
        ["creds"] = ("nats://127.0.0.1:4222/b", "/tmp/lsa-keys/user.creds"),
        ["nkey"] = ("nats://127.0.0.1:4222/b", "/tmp/lsa-keys/user.nk"),
        ["jwt"] = ("nats://127.0.0.1:4222/b?seed=SUA&jwt=eyJold", "eyJ"),
        ["seed"] = ("nats://127.0.0.1:4222/b?jwt=eyJ&seed=SUAold", "SUA"),
        ["tls"] = ("nats://127.0.0.1:4222/b", "true"),
        ["root-cas"] = ("nats://127.0.0.1:4222/b", "/tmp/lsa-keys/ca.pem"),
        ["client-cert"] = ("nats://127.0.0.1:4222/b?client-key=/k&client-cert=/old", "/c"),
        ["client-key"] = ("nats://127.0.0.1:4222/b?client-cert=/c&client-key=/old", "/k"),
        ["max-reconnects"] = ("nats://127.0.0.1:4222/b", "3"),
        ["reconnect-wait"] = ("nats://127.0.0.1:4222/b", "5s"),
        ["timeout"] = ("nats://127.0.0.1:4222/b", "30s"),
        ["user"] = ("sftp://root@127.0.0.1/d?host-key=k&key-path=/id", "other"),
        ["key-path"] = ("sftp://root@127.0.0.1/d?host-key=k&password=p", "/id"),
        ["host-key"] = ("sftp://root@127.0.0.1/d?key-path=/id&insecure-ignore-host-key=true", "ssh-ed25519 AAAA"),
        ["insecure-ignore-host-key"] = ("sftp://root@127.0.0.1/d?key-path=/id&host-key=k", "true"),
        ["account-name"] = ("abs://acct@c/p", "other"),
        ["account-key"] = ("abs://acct@c/p", "a2V5"),
        ["sas-token"] = ("abs://acct@c/p", "sv=1"),
        ["connection-string"] = ("abs://acct@c/p", "UseDevelopmentStorage=true"),
        ["webdav-url"] = ("webdav://h/p", "http://other/p"),
        ["webdav-username"] = ("webdav://h/p", "u"),
        ["webdav-password"] = ("webdav://h/p", "p"),
        ["credentials-file"] = ("gs://b/p", "/tmp/lsa-keys/sa.json"),
    };

    [Fact]
    public void Every_key_a_config_accepts_has_a_sample_here()
    {
        Assert.Equal(ConfigKeys.Global.Implemented.Order(), GlobalSamples.Keys.Append("dbs").Order());
        // dir:, pattern:, recursive:, watch: and meta-dir: make a directory entry: DirectoryConfigTests shows each acting.
        Assert.Equal(ConfigKeys.Database.Implemented.Order(), DatabaseSamples.Keys.Concat(["path", "replica", "replicas", "dir", "pattern", "recursive", "watch", "meta-dir"]).Order());
        Assert.Equal(ConfigKeys.Replica.Implemented.Order(), ReplicaSamples.Keys.Concat(BackendSamples.Keys).Concat(["type", "name", "url", "path"]).Order());
        Assert.Equal(ConfigKeys.BackendOptions.Order(), BackendSamples.Keys.Order());
        Assert.All(new[] { "dbs", "path", "replica", "replicas", "type", "url", "name" }, key => Assert.Contains(key, Structural));
    }

    [Fact]
    public void Every_global_database_and_replica_key_changes_the_settings()
    {
        var baseline = Settings(Config());
        Assert.All(GlobalSamples, sample => Assert.True(Settings(sample.Value + Config()) != baseline, $"{sample.Key} changed nothing"));
        Assert.All(DatabaseSamples, sample => Assert.True(Settings(Config(database: $"    {sample.Key}: {sample.Value}\n")) != baseline, $"{sample.Key} changed nothing"));
        Assert.All(ReplicaSamples, sample => Assert.True(Settings(Config(replica: $"      {sample.Key}: {sample.Value}\n")) != baseline, $"{sample.Key} changed nothing"));
    }

    [Fact]
    public void Every_backend_option_changes_its_backend_location()
    {
        var keyFile = Path.GetTempFileName();
        File.WriteAllText(keyFile, "abcdefghijabcdefghijabcdefghij12");
        try
        {
            Assert.All(BackendSamples, sample =>
            {
                var value = sample.Value.Value == "KEYFILE" ? keyFile : sample.Value.Value;
                var without = Location(sample.Value.Url, null);
                var with = Location(sample.Value.Url, $"      {sample.Key}: \"{value}\"\n");
                Assert.True(with != without, $"{sample.Key} changed nothing in {without}");
            });
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public void Every_setting_the_loader_fills_is_read_by_the_product()
    {
        var root = Path.Combine(LitestreamActors.TestSupport.RepositoryPaths.Root, "src");
        // A setting is read when its name appears besides its declaration, outside the loader that fills it.
        var sources = string.Join('\n', Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith("ConfigLoader.cs", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var settingsTypes = typeof(Actors.Settings.LitestreamSettings).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Actors.Settings.LitestreamSettings).Namespace && t.IsPublic && !t.IsEnum)
            .Concat(typeof(NodeSettings).Assembly.GetTypes().Where(t => t.Namespace == typeof(NodeSettings).Namespace && t.IsPublic && t.Name.EndsWith("Settings", StringComparison.Ordinal)));
        var unread = settingsTypes
            .SelectMany(t => t.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
                .Select(p => (Type: t.Name, p.Name)))
            .Where(p => System.Text.RegularExpressions.Regex.Matches(sources, $@"\b{p.Name}\b").Count < 2)
            .Select(p => $"{p.Type}.{p.Name}")
            .ToList();
        Assert.Empty(unread);
    }

    private static string Config(string database = "", string replica = "") =>
        $"dbs:\n  - path: {Db}\n{database}    replica:\n      path: /tmp/lsa-keys/replica\n{replica}";

    private static string Settings(string yaml) => JsonSerializer.Serialize(ConfigLoader.Parse(yaml, "keys.yml"));

    private static string Location(string url, string? option)
    {
        var settings = ConfigLoader.Parse($"dbs:\n  - path: {Db}\n    replica:\n      url: \"{url}\"\n{option}", "keys.yml");
        var location = ReplicaClientFactory.Locate(settings.Databases[0].Replicas[0].Endpoint);
        return JsonSerializer.Serialize(location, location.GetType());
    }
}
