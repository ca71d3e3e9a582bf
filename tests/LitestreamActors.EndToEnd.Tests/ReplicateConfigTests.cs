using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>Config problems stop replicate before it starts, with one line; valid configs run in both node modes.</summary>
public sealed class ReplicateConfigTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("dbs:\n  - path: /nonexistent-dir/app.db\n    replica:\n      path: /tmp/x\n", "database directory does not exist: /nonexistent-dir")]
    [InlineData("dbs:\n  - path: DIR/app.db\n    replica:\n      url: ftp://host/x\n", "replica type \"ftp\" is not supported")]
    [InlineData("dbs:\n  - path: DIR/app.db\n    replica:\n      url: file://host/x\n", "file replica URL must name an absolute path")]
    [InlineData("dbs:\n  - path: DIR/app.db\n    replicas:\n      - pth: /tmp/x\n", "line 4: unknown key \"pth\" in a replica (did you mean \"path\"?)")]
    [InlineData("dbs:\n  - path: DIR/app.db\n   replica: [\n", "line ")]
    [InlineData("dbs:\n  - path: DIR/app.db\n", "database has no replica")]
    public void A_bad_config_is_one_line_and_exit_1(string yaml, string expected)
    {
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, yaml.Replace("DIR", _dir.Path, StringComparison.Ordinal));
        var result = LitestreamCli.Run("replicate", "-config", config);
        Assert.Equal(1, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("Error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void An_upstream_key_not_implemented_yet_is_one_warning_and_replication_runs()
    {
        var (db, replica, config) = Setup("    max-checkpoint-page-count: 10000\n");
        using var replicate = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        Assert.Equal(0, replicate.Stop());
        Assert.Single(replicate.Output.Split('\n'), l => l.Contains("max-checkpoint-page-count", StringComparison.Ordinal) && l.Contains("WARN", StringComparison.Ordinal));
        Assert.Contains("switched database to WAL mode", replicate.Output, StringComparison.Ordinal);
        AssertRestores(db, replica);
    }

    [Fact]
    public void With_a_cluster_section_the_same_tree_replicates_inside_a_cluster_member()
    {
        var port = FreeTcpPort.Next();
        var (db, replica, config) = Setup(string.Empty, $"cluster:\n  hostname: 127.0.0.1\n  port: {port}\n  seed-nodes: [\"akka.tcp://litestream@127.0.0.1:{port}\"]\n");
        using var replicate = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        Sqlite3.Execute(db, RandomRows.Inserts(new Random(3), 10));
        Assert.Equal(0, replicate.Stop());
        Assert.Contains("mode=cluster", replicate.Output, StringComparison.Ordinal);
        AssertRestores(db, replica);
    }

    [Fact]
    public void Databases_lists_paths_and_replica_types()
    {
        var (db, _, config) = Setup(string.Empty);
        var text = LitestreamCli.Run("databases", "-config", config).EnsureSuccess("databases").StandardOutput.Split('\n');
        Assert.Equal(["path", "replica"], text[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal([db, "file"], text[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var json = System.Text.Json.JsonDocument.Parse(LitestreamCli.Run("databases", "-json", "-config", config).StandardOutput);
        Assert.Equal(db, json.RootElement[0].GetProperty("path").GetString());
    }

    public void Dispose() => _dir.Dispose();

    private (string Db, string Replica, string Config) Setup(string databaseKeys, string globalKeys = "")
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"{globalKeys}dbs:\n  - path: {db}\n    monitor-interval: 200ms\n{databaseKeys}    replica:\n      path: {replica}\n");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(1), 10));
        return (db, replica, config);
    }

    private void AssertRestores(string db, string replica)
    {
        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-o", restored, "file://" + replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
    }
}
