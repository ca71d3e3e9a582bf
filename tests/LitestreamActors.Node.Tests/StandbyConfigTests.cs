using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Tests;

/// <summary>The <c>standbys:</c> list: a replica by URL or by the name of a replica of dbs, a path of its own, promote manual or auto.</summary>
public sealed class StandbyConfigTests
{
    [Fact]
    public void A_standby_follows_a_replica_url_or_a_named_replica()
    {
        var settings = ConfigLoader.Parse("""
            cluster:
              port: 4053
            dbs:
              - path: /data/app.db
                replica:
                  name: backup
                  url: s3://bucket/app
            standbys:
              - replica: s3://bucket/other?endpoint=http://minio:9000
                path: /data/other.db
                promote: auto
              - replica: backup
                path: /data/app-copy.db
            """, "c.yml");
        var standbys = settings.Replication.Standbys;
        Assert.Equal(("/data/other.db", "s3://bucket/other?endpoint=http://minio:9000", true), (standbys[0].Path, standbys[0].ReplicaUrl, standbys[0].AutoPromote));
        Assert.Equal(("/data/app-copy.db", "s3://bucket/app", false), (standbys[1].Path, standbys[1].ReplicaUrl, standbys[1].AutoPromote));
        Assert.Empty(settings.Warnings);
    }

    [Theory]
    [InlineData("standbys:\n  - path: /data/s.db\n", "line 2: a standbys entry needs a replica")]
    [InlineData("standbys:\n  - replica: s3://b/p\n", "line 2: a standbys entry needs a path")]
    [InlineData("standbys:\n  - replica: nowhere\n    path: /data/s.db\n", "line 2: replica \"nowhere\" is neither a replica URL nor the name of a replica of dbs")]
    [InlineData("standbys:\n  - replica: s3://b/p\n    path: /data/s.db\n    promote: sometimes\n", "line 4: invalid promote \"sometimes\": expected manual or auto")]
    [InlineData("dbs:\n  - path: /data/s.db\n    replica:\n      path: /r\nstandbys:\n  - replica: s3://b/p\n    path: /data/s.db\n", "/data/s.db is already a database or a standby of this config")]
    [InlineData("standbys:\n  - replica: s3://b/p\n    path: /data/s.db\n    follow: yes\n", "follow")]
    public void A_standby_without_what_it_needs_is_one_error_naming_its_line(string yaml, string expected) =>
        Assert.Contains(expected, Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "c.yml")).Message, StringComparison.Ordinal);

    [Fact]
    public void Auto_promotion_without_a_cluster_is_a_warning()
    {
        var settings = ConfigLoader.Parse("standbys:\n  - replica: s3://b/p\n    path: /data/s.db\n    promote: auto\n", "c.yml");
        Assert.Contains(settings.Warnings, w => w.Contains("promote: auto needs a cluster: section", StringComparison.Ordinal));
    }
}
