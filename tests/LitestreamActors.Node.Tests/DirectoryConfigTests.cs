using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Tests;

/// <summary>dbs entries with dir: and pattern: (upstream's directory replication).</summary>
public sealed class DirectoryConfigTests
{
    [Fact]
    public void A_dir_entry_places_each_database_by_its_relative_path()
    {
        var settings = ConfigLoader.Parse("""
            dbs:
              - dir: /var/lib/apps
                pattern: "*.db"
                recursive: true
                watch: true
                monitor-interval: 250ms
                meta-path: /var/lib/litestream/meta
                replica:
                  url: s3://bucket/node-1
            """, "test.yml");

        Assert.Empty(settings.Databases);
        var directory = Assert.Single(settings.Replication.Directories);
        Assert.True(directory.Recursive);
        Assert.True(directory.Watch);
        var database = settings.FindDatabase("/var/lib/apps/tenants/t1.db")!;
        Assert.Equal("s3://bucket/node-1/tenants/t1.db", database.Replicas.Single().Endpoint.Url);
        Assert.Equal("/var/lib/litestream/meta/tenants/.t1.db-litestream", database.ResolvedMetaPath);
        Assert.Equal(TimeSpan.FromMilliseconds(250), database.MonitorInterval);
        Assert.Null(settings.FindDatabase("/var/lib/apps/t1.sqlite"));
        Assert.Null(settings.FindDatabase("/var/lib/other/t1.db"));
        Assert.Null(settings.FindDatabase("/var/lib/apps/t1.db-wal"));
        // A name that starts with two dots is still inside the folder; the folder's parent is not.
        Assert.NotNull(settings.FindDatabase("/var/lib/apps/..t1.db"));
        Assert.Null(settings.FindDatabase("/var/lib/t1.db"));
    }

    [Fact]
    public void Without_recursive_only_the_top_folder_counts_and_meta_dir_keeps_the_relative_path()
    {
        var settings = ConfigLoader.Parse("""
            dbs:
              - dir: /data
                pattern: "app-*.db"
                meta-dir: /state
                replica:
                  type: file
                  path: /backups
            """, "test.yml");

        var database = settings.FindDatabase("/data/app-1.db")!;
        Assert.Equal("/backups/app-1.db", database.Replicas.Single().Endpoint.Path);
        Assert.Equal("/state/app-1.db-litestream", database.ResolvedMetaPath);
        Assert.Null(settings.FindDatabase("/data/sub/app-1.db"));
    }

    [Theory]
    [InlineData("  - dir: /d\n    replica: {url: file:///b}\n", "line 2: a dir entry needs a pattern")]
    [InlineData("  - dir: /d\n    path: /d/a.db\n    pattern: \"*\"\n    replica: {url: file:///b}\n", "line 3: a dbs entry takes path (one database) or dir")]
    [InlineData("  - path: /d/a.db\n    watch: true\n    replica: {url: file:///b}\n", "line 3: watch is only allowed with dir")]
    [InlineData("  - dir: /d\n    pattern: \"[x\"\n    replica: {url: file:///b}\n", "line 3: the pattern \"[x\" has a [ without its ]")]
    [InlineData("  - dir: /d\n    pattern: \"*\"\n", "has no replica")]
    [InlineData("  - dir: /d\n    pattern: \"*\"\n    meta-dir: /m\n    meta-path: /p\n    replica: {url: file:///b}\n", "line 4: meta-dir and meta-path cannot both be set")]
    [InlineData("  - dir: /d\n    pattern: \"*\"\n    replica: {url: nats://localhost:4222/bucket}\n", "a nats replica cannot serve a dir entry")]
    [InlineData("  - dir: /d\n    pattern: \"*\"\n    watch: maybe\n    replica: {url: file:///b}\n", "watch must be true or false")]
    public void A_wrong_dir_entry_is_one_line_naming_the_problem(string entry, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("dbs:\n" + entry, "test.yml"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Restore_if_missing_in_a_dir_entry_draws_a_warning()
    {
        var settings = ConfigLoader.Parse("dbs:\n  - dir: /d\n    pattern: \"*\"\n    restore-if-db-not-exists: true\n    replica: {url: file:///b}\n", "test.yml");
        Assert.Contains(settings.Warnings, w => w.Contains("restore-if-db-not-exists does nothing in a dir entry", StringComparison.Ordinal));
    }
}
