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
}
