using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The migration guide, step by step, with our binary: a 0.3-style <c>replicas:</c> config (folder and S3), the new
/// single <c>replica:</c> form, a NATS replica beside S3 as a second <c>dbs</c> entry (parallel replication) watched in
/// sync with <c>litestream databases</c>, the old one dropped, <c>restore -o</c> from the new one passing
/// <c>PRAGMA integrity_check</c>, and an old 0.3 backup migrated. Commits go on between and during the switches (with
/// the node down too); after every step each replica restores to the source's exact <c>.dump</c>.
/// </summary>
public sealed class MigrationGuideTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Random _random = new(60);
    private string _db = string.Empty;

    [Fact]
    public void Following_the_guide_with_our_binary_loses_no_committed_transaction()
    {
        _db = _dir.File("app.db");
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(_random, 20));
        var folder = _dir.File("backup");
        var s3Url = S3();
        var nats = $"{Environment.GetEnvironmentVariable("LSA_NATS_URL") ?? throw new InvalidOperationException("LSA_NATS_URL is not set: run ./test.sh")}/guide-{Guid.NewGuid().ToString("N")[..12]}";

        // Before: the 0.3-style list with a folder and S3.
        _ = Phase($"""
            dbs:
              - path: {_db}
                monitor-interval: 200ms
                replicas:
                  - type: file
                    path: {folder}
                  - url: {s3Url}
            """, "file://" + folder, s3Url);

        // The new single-replica form, with a retention.
        _ = Phase($"""
            dbs:
              - path: {_db}
                monitor-interval: 200ms
                replica:
                  url: {s3Url}
                  retention: 72h
            """, s3Url);

        // Zero-downtime migration: keep S3, add NATS as a second entry for the same path, watch both in sync.
        var (_, parallel) = Phase($"""
            dbs:
              - path: {_db}
                monitor-interval: 200ms
                replica:
                  url: {s3Url}
              - path: {_db}
                replica:
                  type: nats
                  url: {nats}
            """, s3Url, nats);
        Assert.Equal(["nats", "s3"], parallel.Order(StringComparer.Ordinal));

        // Switch over: the old replica removed, the new one kept.
        var (final, _) = Phase($"""
            dbs:
              - path: {_db}
                monitor-interval: 200ms
                replica:
                  type: nats
                  url: {nats}
            """, nats);

        // Validation, as the guide writes it: restore -o from the config's replica, then the integrity check.
        var restored = _dir.File("test-restore.db");
        LitestreamCli.Run("restore", "-config", final, "-o", restored, _db).EnsureSuccess("restore -o");
        Assert.Equal("ok", Sqlite3.Execute(restored, "PRAGMA integrity_check;").Trim());
        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(restored));

        // An old backup made by Litestream 0.3 becomes LTX history with migrate, and restores the same.
        var old = _dir.File("old-0.3-backup");
        DirectoryCopy.Copy(Path.Combine(RepositoryPaths.V3Fixture, "replica"), old);
        LitestreamCli.Run("migrate", "file://" + old).EnsureSuccess("migrate");
        Assert.True(JsonDocument.Parse(LitestreamCli.Run("ltx", "-json", "file://" + old).EnsureSuccess("ltx").StandardOutput).RootElement.GetArrayLength() > 0);
        var fromMigrated = _dir.File("migrated.db");
        LitestreamCli.Run("restore", "-o", fromMigrated, "file://" + old).EnsureSuccess("restore the migrated backup");
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.V3Fixture, "expected", "final.sql")), Sqlite3.Dump(fromMigrated));
    }

    [Fact]
    public async Task Every_config_shape_the_guide_teaches_replicates_as_written()
    {
        _db = _dir.File("app.db");
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(_random, 20));
        // The guide's shapes, keys and order as written; only where each replica lives points at this run's servers.
        var backup = _dir.File("backup");
        var local = _dir.File("local-backup");
        var (primary, secondary) = (S3(), S3());

        // Upgrading from v0.3.x, "OLD FORMAT (still supported)": a list, no names.
        var (_, names) = Phase($"""
            dbs:
              - path: {_db}
                replicas:
                  - url: {primary}
                    retention: 72h
                  - type: file
                    path: {backup}
            """, primary, "file://" + backup);
        Assert.Equal(["file", "s3"], names.Order(StringComparer.Ordinal));

        // "Multiple replicas (OLD - still supported)": two of one type, unnamed.
        (_, names) = Phase($"""
            dbs:
              - path: {_db}
                replicas:
                  - url: {primary}
                  - url: {secondary}
                  - type: file
                    path: {local}
            """, primary, secondary, "file://" + local);
        Assert.Equal(["file", "s3", "s3-2"], names.Order(StringComparer.Ordinal));

        // "Single replica (NEW - recommended)": a separate entry for each replica of one path.
        (_, names) = Phase($"""
            dbs:
              - path: {_db}
                replica:
                  url: {primary}
              - path: {_db}  # Separate entry for each replica
                replica:
                  url: {secondary}
              - path: {_db}
                replica:
                  type: file
                  path: {local}
            """, primary, secondary, "file://" + local);
        Assert.Equal(["file", "s3", "s3-2"], names.Order(StringComparer.Ordinal));

        // "Global Configuration Sections", with the guide's own exec hook (its program does not exist here: a warning).
        Phase($"""
            snapshot:
              interval: 24h
              retention: 168h

            levels:
              - interval: 5m
                retention: 1h
              - interval: 1h
                retention: 24h
              - interval: 24h
                retention: 168h

            exec:
              - cmd: ["/usr/local/bin/notify", "Litestream started"]

            mcp-addr: ":3001"

            dbs:
              - path: {_db}
                replica:
                  url: {primary}
            """, primary);

        // "Migrating from File to S3".
        Phase($"""
            dbs:
              - path: {_db}
                replica:
                  url: {primary}
                  region: us-east-1
            """, primary);

        // "Migrating from S3 to NATS": credentials as keys, the password from the environment.
        var natsServer = new Uri(Environment.GetEnvironmentVariable("LSA_NATS_URL") ?? throw new InvalidOperationException("LSA_NATS_URL is not set: run ./test.sh"));
        Environment.SetEnvironmentVariable("NATS_PASSWORD", "lsa-secret");
        var nats = $"nats://{natsServer.Host}:{natsServer.Port}/guide-{Guid.NewGuid().ToString("N")[..12]}";
        Phase($$"""
            dbs:
              - path: {{_db}}
                replica:
                  type: nats
                  url: {{nats}}
                  username: lsa
                  password: ${NATS_PASSWORD}
            """, $"nats://lsa:lsa-secret@{natsServer.Host}:{natsServer.Port}/{nats.Split('/')[^1]}");

        // "S3 to Azure Blob Storage": the account from the environment (Azurite needs its endpoint named).
        Environment.SetEnvironmentVariable("AZURE_STORAGE_ACCOUNT", Environment.GetEnvironmentVariable("LSA_AZURE_ACCOUNT") ?? "devstoreaccount1");
        Environment.SetEnvironmentVariable("AZURE_STORAGE_KEY", Environment.GetEnvironmentVariable("LSA_AZURE_KEY") ?? throw new InvalidOperationException("LSA_AZURE_KEY is not set: run ./test.sh"));
        var azureEndpoint = Environment.GetEnvironmentVariable("LSA_AZURE_ENDPOINT")!;
        var container = $"guide{Guid.NewGuid().ToString("N")[..12]}";
        Environment.SetEnvironmentVariable("LITESTREAM_AZURE_ACCOUNT_KEY", Environment.GetEnvironmentVariable("AZURE_STORAGE_KEY"));
        Phase($$"""
            dbs:
              - path: {{_db}}
                replica:
                  url: abs://{{container}}/app
                  account-name: ${AZURE_STORAGE_ACCOUNT}
                  account-key: ${AZURE_STORAGE_KEY}
                  endpoint: {{azureEndpoint}}
            """, $"abs://{Environment.GetEnvironmentVariable("AZURE_STORAGE_ACCOUNT")}@{container}/app?endpoint={Uri.EscapeDataString(azureEndpoint)}");

        // "S3 to Google Cloud Storage" (against the JSON-API test server, so its endpoint is named).
        await using var gcs = await GcsJsonApiServer.StartAsync();
        Phase($"""
            dbs:
              - path: {_db}
                replica:
                  url: gs://gcs-bucket/app
                  endpoint: {gcs.Endpoint}
            """, $"gs://gcs-bucket/app?endpoint={gcs.Endpoint}");
    }

    public void Dispose() => _dir.Dispose();

    // One step: the config written, a commit while the node is down, the node started, commits while it runs,
    // `databases` watched until every replica holds the captured TXID, the node stopped, every replica restored and compared.
    // Returns the config and the replica names `databases` showed.
    private (string Config, List<string> Names) Phase(string yaml, params string[] replicas)
    {
        var config = _dir.File($"litestream-{Guid.NewGuid():N}.yml");
        var names = new List<string>();
        File.WriteAllText(config, yaml);
        Commit();
        using (var node = ReplicateProcess.Start("-config", config))
        {
            for (var i = 0; i < 5; i++)
            {
                Commit();
                Thread.Sleep(150);
            }
            var synced = JsonDocument.Parse(WhenNodeAnswers(() => LitestreamCli.Run("sync", "-config", config, "-json", _db), node)).RootElement;
            var txid = synced.GetProperty("txid").GetString()!;
            var shown = string.Empty;
            Eventually.True(() =>
            {
                shown = LitestreamCli.Run("databases", "-config", config, "-json").EnsureSuccess("databases").StandardOutput;
                var database = JsonDocument.Parse(shown).RootElement.EnumerateArray().Single();
                var held = database.GetProperty("replicas").EnumerateArray().ToList();
                names = [.. held.Select(r => r.GetProperty("name").GetString()!)];
                return held.Count == replicas.Length && held.All(r => string.CompareOrdinal(r.GetProperty("txid").GetString(), txid) >= 0);
            }, TimeSpan.FromSeconds(60), () => shown + node.Output);
            var table = LitestreamCli.Run("databases", "-config", config).EnsureSuccess("databases").StandardOutput;
            Assert.Contains("replica txid", table, StringComparison.Ordinal);
            Assert.Equal(0, node.Stop());
        }
        foreach (var replica in replicas)
        {
            var restored = Restore(replica);
            Assert.True(Sqlite3.Dump(_db) == restored, $"{replica} after the step with {yaml}: restored {restored.Split('\n').Length} dump lines, source {Sqlite3.Dump(_db).Split('\n').Length}");
        }
        return (config, names);
    }

    private void Commit() => Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(_random, 5, 200) + "COMMIT;\n");

    private static string WhenNodeAnswers(Func<ProcessResult> call, ReplicateProcess node)
    {
        ProcessResult result = call();
        Eventually.True(() => (result = call()).ExitCode == 0, TimeSpan.FromSeconds(30), () => result.StandardError + node.Output);
        return result.StandardOutput;
    }

    private string Restore(string url)
    {
        var output = _dir.File($"restored-{Guid.NewGuid():N}.db");
        LitestreamCli.Run("restore", "-o", output, url).EnsureSuccess("restore " + url);
        return Sqlite3.Dump(output);
    }

    private static string S3()
    {
        var endpoint = Environment.GetEnvironmentVariable("LSA_S3_ENDPOINT")
            ?? throw new InvalidOperationException("LSA_S3_ENDPOINT is not set: run ./test.sh, which starts the test servers");
        Environment.SetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY", "S3RVER");
        return $"s3://lsa-test/guide-{Guid.NewGuid():N}/app?endpoint={endpoint}&forcePathStyle=true";
    }
}
