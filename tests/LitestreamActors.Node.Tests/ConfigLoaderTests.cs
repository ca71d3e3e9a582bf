using LitestreamActors.Actors.Settings;
using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Tests;

public sealed class ConfigLoaderTests
{
    [Fact]
    public void Reads_a_single_replica_and_the_old_replicas_list()
    {
        var settings = ConfigLoader.Parse("""
            dbs:
              - path: /var/lib/app.db
                replica:
                  url: s3://bucket/app
              - path: sqlite:///var/lib/other.db
                replicas:
                  - type: file
                    path: /backup/other
                  - name: offsite
                    url: file:///mnt/offsite/other
            """, "test.yml");

        Assert.Equal(2, settings.Databases.Count);
        var app = settings.FindDatabase("/var/lib/app.db")!;
        Assert.Equal("s3", app.Replicas.Single().Name);
        Assert.Equal("s3://bucket/app", app.Replicas.Single().Endpoint.Url);
        var other = settings.FindDatabase("/var/lib/other.db")!;
        Assert.Equal(["file", "offsite"], other.Replicas.Select(r => r.Name));
        Assert.Equal("/backup/other", other.Replicas[0].Endpoint.Path);
    }

    [Fact]
    public void Broken_yaml_names_the_file_and_line()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n  - path: /a\n   replica: [\n", "bad.yml"));
        Assert.StartsWith("bad.yml: line ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_replica_without_a_destination_is_an_error_with_its_line()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n  - path: /a\n    replica:\n      type: file\n", "c.yml"));
        Assert.Equal("c.yml: line 4: a replica needs a url, or a type and a path", e.Message);
    }

    [Theory]
    [InlineData("dbs:\n  - path: ''\n    replica:\n      url: file:///b\n", "c.yml: line 2: a dbs entry needs a path (or a dir and a pattern)")]
    [InlineData("dbs:\n  - path: /a\n    meta-path: ''\n    replica:\n      url: file:///b\n", "c.yml: line 3: meta-path is empty")]
    [InlineData("dbs:\n  - path: /a\n    replica:\n      url: ''\n", "c.yml: line 4: url is empty")]
    [InlineData("dbs:\n  - path: /a\n    replica:\n      type: file\n      path: ''\n", "c.yml: line 5: a file replica's path is empty")]
    [InlineData("snapshot:\n  interval: 24h\n{  retention: 168h\nl0-retention: 5m\n", "c.yml: not valid YAML: look for an unclosed [, { or quote")]
    public void Empty_values_and_unclosed_braces_found_by_fuzzing_are_one_line(string yaml, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "c.yml"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void A_missing_file_is_one_clear_error()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile("/nonexistent/litestream.yml", true));
        Assert.Equal("config file not found: /nonexistent/litestream.yml", e.Message);
    }

    [Fact]
    public void Environment_variables_expand_unless_disabled()
    {
        var path = Path.GetTempFileName();
        try
        {
            Environment.SetEnvironmentVariable("LSA_TEST_DIR", "/srv/data");
            File.WriteAllText(path, "dbs:\n  - path: ${LSA_TEST_DIR}/app.db\n    replica:\n      path: /b\n");
            Assert.Equal("/srv/data/app.db", ConfigLoader.LoadFile(path, expandEnvironment: true).Databases[0].Path);
            Assert.EndsWith("${LSA_TEST_DIR}/app.db", ConfigLoader.LoadFile(path, expandEnvironment: false).Databases[0].Path, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_unknown_key_is_an_error_with_its_line_and_a_suggestion()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n  - path: /a\n    monitor-intervl: 1s\n    replica:\n      path: /b\n", "c.yml"));
        Assert.Equal("c.yml: line 3: unknown key \"monitor-intervl\" in a dbs entry (did you mean \"monitor-interval\"?)", e.Message);
    }

    [Fact]
    public void An_upstream_key_not_yet_implemented_is_one_warning()
    {
        var settings = ConfigLoader.Parse("heartbeat-url: http://x\ndbs:\n  - path: /a\n    replica:\n      url: s3://b/a\n      retention-check-interval: 1h\n", "c.yml");
        Assert.Equal(2, settings.Warnings.Count);
        Assert.Contains("c.yml: line 1: \"heartbeat-url\" in the top level is not supported by this version yet and is ignored", settings.Warnings);
    }

    [Fact]
    public void Endpoints_bind_to_loopback_unless_told_and_off_loopback_need_a_token()
    {
        var local = ConfigLoader.Parse("addr: \":9090\"\nmcp-addr: \"127.0.0.1:3001\"\nmcp:\n  restore-dir: /tmp/r\n", "/etc/c.yml").Control!;
        Assert.Equal(System.Net.IPAddress.Loopback, Control.ListenAddress.Parse(local.Addr!, "addr").Address);
        Assert.Equal("127.0.0.1:3001", local.McpAddr);
        Assert.Equal("/tmp/r", local.McpRestoreDirectory);
        Assert.Equal(DefaultSocketPath.For("/etc/c.yml"), local.SocketPath);

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("addr: \"0.0.0.0:9090\"\n", "c.yml"));
        Assert.Equal("c.yml: line 1: addr \"0.0.0.0:9090\" listens beyond this machine: set api-token (or LITESTREAM_API_TOKEN) so requests need a bearer token", e.Message);
        Assert.Equal("s3cret", ConfigLoader.Parse("addr: \"0.0.0.0:9090\"\napi-token: s3cret\n", "c.yml").Control!.Token);
        var bad = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("mcp-addr: \"example.com:3001\"\n", "c.yml"));
        Assert.Equal("c.yml: line 1: invalid mcp-addr \"example.com:3001\": the host must be an IP address or localhost", bad.Message);
    }

    [Fact]
    public void The_control_socket_takes_upstreams_keys_and_can_be_turned_off()
    {
        var socket = ConfigLoader.Parse("socket:\n  path: /run/l.sock\n  permissions: \"0660\"\n", "c.yml").Control!;
        Assert.Equal("/run/l.sock", socket.SocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, socket.SocketPermissions);
        Assert.Null(ConfigLoader.Parse("socket:\n  enabled: false\n", "c.yml").Control!.SocketPath);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("socket:\n  permissions: rw\n", "c.yml"));
        Assert.Equal("c.yml: line 2: socket.permissions must be octal such as 0600, not \"rw\"", e.Message);
        var flag = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("socket:\n  enabled: maybe\n", "c.yml"));
        Assert.Equal("c.yml: line 2: socket.enabled must be true or false, not \"maybe\"", flag.Message);
    }

    [Fact]
    public void Levels_snapshots_and_retention_parse_as_upstream_with_its_defaults()
    {
        var defaults = ConfigLoader.Parse("dbs:\n  - path: /a\n    replica:\n      path: /b\n", "c.yml").Databases[0].Replicas[0];
        Assert.Equal([new(TimeSpan.FromSeconds(30)), new(TimeSpan.FromMinutes(5)), new CompactionLevel(TimeSpan.FromHours(1))], defaults.Levels);
        Assert.Equal((TimeSpan.FromHours(24), TimeSpan.FromHours(24), TimeSpan.FromMinutes(5), true),
            (defaults.SnapshotInterval, defaults.SnapshotRetention, defaults.L0Retention, defaults.RetentionEnabled));

        var settings = ConfigLoader.Parse("""
            levels:
              - interval: 10s
              - interval: 1m
                retention: 1h
            snapshot:
              interval: 1h
              retention: 168h
            l0-retention: 0
            retention:
              enabled: false
            verify:
              interval: 1h
              capture-check-interval: 2h
            dbs:
              - path: /a
                replica:
                  path: /b
              - path: /c
                replica:
                  path: /d
                  retention: 72h
                  snapshot-interval: 6h
            """, "c.yml");
        var replica = settings.Databases[0].Replicas[0];
        Assert.Equal([new(TimeSpan.FromSeconds(10)), new CompactionLevel(TimeSpan.FromMinutes(1), TimeSpan.FromHours(1))], replica.Levels);
        Assert.Equal(TimeSpan.FromHours(1), replica.DrillInterval);
        Assert.Null(defaults.DrillInterval);
        // Restore drills take their expected checksum from the full capture check, so it runs as often as they do.
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromHours(1)), (settings.Databases[0].CaptureCheckInterval, settings.Databases[0].FullCheckInterval));
        Assert.Equal(TimeSpan.FromMinutes(5), ConfigLoader.Parse("verify:\n  capture-check-interval: 5m\ndbs:\n  - path: /a\n    replica:\n      path: /b\n", "c.yml").Databases[0].FullCheckInterval);
        var own = settings.Databases[1].Replicas[0];
        Assert.Equal((TimeSpan.FromHours(6), TimeSpan.FromHours(72)), (own.SnapshotInterval, own.SnapshotRetention));
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromHours(168), TimeSpan.Zero, false),
            (replica.SnapshotInterval, replica.SnapshotRetention, replica.L0Retention, replica.RetentionEnabled));
        Assert.Contains(settings.Warnings, w => w.Contains("retention.enabled is false", StringComparison.Ordinal));

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("levels:\n  - interval: 0s\ndbs: []\n", "c.yml"));
        Assert.Contains("line 2: interval must be above zero", e.Message, StringComparison.Ordinal);
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("retention:\n  enabled: maybe\ndbs: []\n", "c.yml"));
        e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("levels:\n  - interval: 1m\n    retention: 0s\ndbs: []\n", "c.yml"));
        Assert.Equal("c.yml: line 3: retention must be above zero", e.Message);
    }

    [Fact]
    public void Two_entries_writing_to_one_replica_target_are_an_error()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""
            dbs:
              - path: /a
                replicas:
                  - url: s3://bucket/app?region=us-east-1
                  - url: s3://bucket/app/
            """, "c.yml"));
        Assert.Equal("c.yml: the replica target s3://bucket/app appears twice (for /a and /a); each replica needs its own location", e.Message);
        e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            "dbs:\n  - path: /a\n    replica:\n      path: /backup\n  - path: /b\n    replica:\n      url: file:///backup\n", "c.yml"));
        Assert.Contains("file:///backup appears twice (for /a and /b)", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, ConfigLoader.Parse("dbs:\n  - path: /a\n    replicas:\n      - path: /one\n      - path: /two\n", "c.yml").Databases[0].Replicas.Count);
    }

    [Fact]
    public void The_guides_replica_forms_without_names_get_unique_ones()
    {
        var listed = ConfigLoader.Parse("""
            dbs:
              - path: /var/lib/app.db
                replicas:
                  - url: s3://primary-bucket/app
                  - url: s3://secondary-bucket/app
                  - type: file
                    path: /local/backup
            """, "c.yml");
        Assert.Equal(["s3", "s3-2", "file"], listed.Databases.Single().Replicas.Select(r => r.Name));
        var entries = ConfigLoader.Parse("""
            dbs:
              - path: /var/lib/app.db
                replica:
                  url: s3://primary-bucket/app
              - path: /var/lib/app.db
                replica:
                  url: s3://secondary-bucket/app
              - path: /var/lib/app.db
                replica:
                  type: file
                  path: /local/backup
            """, "c.yml");
        Assert.Equal(["s3", "s3-2", "file"], entries.Databases.Single().Replicas.Select(r => r.Name));
    }

    [Fact]
    public void Two_replicas_of_one_database_named_alike_are_an_error_naming_both_lines()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""
            dbs:
              - path: /a
                replica:
                  name: backup
                  path: /one
              - path: /a
                replica:
                  name: backup
                  url: s3://bucket/a
            """, "c.yml"));
        Assert.Equal("c.yml: lines 4 and 8: two replicas of /a are named \"backup\"; replica names must be unique per database", e.Message);
    }

    [Fact]
    public void Age_encryption_is_refused_rather_than_ignored()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            "dbs:\n  - path: /a\n    replica:\n      url: s3://bucket/a\n      age:\n        recipients: [age1abc]\n", "c.yml"));
        Assert.Equal("c.yml: line 5: age encryption is not implemented yet, and ignoring it would write the backup in plaintext: remove age: to replicate unencrypted", e.Message);
    }

    [Fact]
    public void Restore_if_db_not_exists_is_read_per_database()
    {
        var settings = ConfigLoader.Parse("dbs:\n  - path: /a\n    restore-if-db-not-exists: true\n    replica:\n      path: /r\n  - path: /b\n    replica:\n      path: /s\n", "c.yml");
        Assert.Equal([true, false], settings.Databases.Select(d => d.RestoreIfMissing));
        Assert.Empty(settings.Warnings);
    }

    [Fact]
    public void A_url_written_as_a_path_is_an_error_with_the_fix()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n  - path: /a\n    replica:\n      type: file\n      path: file:///backups/a\n", "c.yml"));
        Assert.Equal("c.yml: line 5: path is a URL (file:///backups/a): write it as url: instead", e.Message);
    }

    [Fact]
    public void Exec_takes_a_command_or_a_list_of_hooks_and_checks_them()
    {
        Assert.Equal("php-fpm -F", ConfigLoader.Parse("exec: php-fpm -F\ndbs: []\n", "c.yml").ExecCommand);
        var settings = ConfigLoader.Parse("""
            exec:
              - cmd: ["/usr/local/bin/notify", "Litestream started"]
              - cmd: ["/bin/logger", "synced"]
                on: synced
                timeout: 5s
            dbs: []
            """, "c.yml");
        Assert.Equal(
            [new(["/usr/local/bin/notify", "Litestream started"], "started", TimeSpan.FromSeconds(30)), new ExecHook(["/bin/logger", "synced"], "synced", TimeSpan.FromSeconds(5))],
            settings.Replication.ExecHooks, new HookComparer());
        Assert.Empty(settings.Warnings);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("exec:\n  - cmd: [a]\n    on: restarted\ndbs: []\n", "c.yml"));
        Assert.Equal("c.yml: line 3: unknown exec event \"restarted\" (one of: error, snapshot, started, stopped, synced)", e.Message);
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("exec:\n  - cmd: notify\ndbs: []\n", "c.yml"));
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("exec:\n  - command: [a]\ndbs: []\n", "c.yml"));
    }

    private sealed class HookComparer : IEqualityComparer<ExecHook>
    {
        public bool Equals(ExecHook? x, ExecHook? y) => x is not null && y is not null && x.Command.SequenceEqual(y.Command) && (x.On, x.Timeout) == (y.On, y.Timeout);

        public int GetHashCode(ExecHook obj) => obj.On.GetHashCode(StringComparison.Ordinal);
    }

    [Fact]
    public void Durations_and_numbers_parse_as_upstream()
    {
        var settings = ConfigLoader.Parse("""
            dbs:
              - path: /a
                monitor-interval: 250ms
                checkpoint-interval: 1h30m
                min-checkpoint-page-count: 500
                replica:
                  path: /b
                  sync-interval: 1.5s
            """, "c.yml");
        var db = settings.Databases[0];
        Assert.Equal(TimeSpan.FromMilliseconds(250), db.MonitorInterval);
        Assert.Equal(TimeSpan.FromMinutes(90), db.CheckpointInterval);
        Assert.Equal(500, db.MinCheckpointPageCount);
        Assert.Equal(TimeSpan.FromSeconds(1.5), db.Replicas[0].SyncInterval);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n  - path: /a\n    busy-timeout: 1d\n", "c.yml"));
        Assert.StartsWith("c.yml: line 3: invalid duration \"1d\" for busy-timeout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_with_the_same_path_become_one_database_with_every_replica()
    {
        var settings = ConfigLoader.Parse("""
            dbs:
              - path: /var/lib/app.db
                replica: {url: "file:///one"}
              - path: /var/lib/app.db
                replica: {url: "file:///two", name: two}
            """, "c.yml");
        Assert.Equal(["file", "two"], settings.Databases.Single().Replicas.Select(r => r.Name));
    }

    [Fact]
    public void A_cluster_section_turns_on_clustering()
    {
        Assert.Null(ConfigLoader.Parse("dbs: []\n", "c.yml").Cluster);
        var cluster = ConfigLoader.Parse("cluster:\n  port: 4053\n  seed-nodes: [\"akka.tcp://litestream@10.0.0.1:4053\"]\n", "c.yml").Cluster!;
        Assert.Equal(4053, cluster.Port);
        Assert.Single(cluster.SeedNodes);
    }
}
