using System.Diagnostics;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// dir: entries (docs/replication.md, "Directories"): every SQLite database under a folder whose name matches the
/// pattern replicates to the replica URL plus its relative path; with watch: true, one created while the node runs is
/// picked up and one deleted is dropped. Python writers commit to each; every replica restores to its source's .dump.
/// </summary>
public sealed class DirectoryReplicationTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _replicaUrl = TestServers.S3Url("node-1");

    [Fact]
    public async Task A_watched_directory_replicates_databases_created_after_start_and_drops_deleted_ones()
    {
        var data = _dir.File("data");
        Directory.CreateDirectory(Path.Combine(data, "tenants"));
        var a = Path.Combine(data, "a.db");
        var b = Path.Combine(data, "tenants", "b.db");
        var c = Path.Combine(data, "tenants", "c.db");
        Sqlite3.Execute(a, Ledger.Schema);
        Sqlite3.Execute(b, Ledger.Schema);
        File.WriteAllText(Path.Combine(data, "notes.db"), "a text file with a database's name is not a database");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"""
            socket:
              path: {_dir.File("node.sock")}
            dbs:
              - dir: {data}
                pattern: "*.db"
                recursive: true
                watch: true
                monitor-interval: 100ms
                replica:
                  url: "{_replicaUrl}"
            """);

        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        using (var writerA = PythonLedgerWriter.Start(a, 200, 6))
        using (var writerB = PythonLedgerWriter.Start(b, 100, 3))
        {
            // Created after the start: found once its header is written, then replicated like the others.
            Sqlite3.Execute(c, Ledger.Schema);
            using var writerC = PythonLedgerWriter.Start(c, 200, 4);
            Eventually.True(() => node.Output.Contains($"database {c} found in {data}", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => node.Output);
            foreach (var writer in new[] { writerA, writerB, writerC })
            {
                await writer.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(writer.ExitCode == 0, await writer.StandardError.ReadToEndAsync());
            }
        }
        Assert.True(Ledger.Rows(c) > 0);
        foreach (var database in new[] { a, b, c })
        {
            LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "60", database).EnsureSuccess($"sync -wait {database}\n{node.Output}");
        }
        var listed = LitestreamCli.Run("databases", "-config", config).EnsureSuccess("databases").StandardOutput;
        Assert.All(new[] { a, b, c }, path => Assert.Contains(path, listed, StringComparison.Ordinal));
        Assert.DoesNotContain("notes.db", listed, StringComparison.Ordinal);

        // Deleted: dropped by the node, its replica kept.
        var deletedDump = Sqlite3.Dump(b);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(b)!, "b.db*"))
        {
            File.Delete(file);
        }
        Eventually.True(() => node.Output.Contains($"database {b} unregistered", StringComparison.Ordinal), TimeSpan.FromSeconds(20), () => node.Output);
        Assert.DoesNotContain(b, LitestreamCli.Run("databases", "-config", config).EnsureSuccess("databases").StandardOutput, StringComparison.Ordinal);
        Assert.True(node.Stop() == 0, node.Output);

        // Each replica is under the URL plus the relative path, and restores to its source.
        Assert.Equal(Sqlite3.Dump(a), LitestreamCli.RestoredDump(Under("a.db"), _dir.File("a-restored.db")));
        Assert.Equal(deletedDump, LitestreamCli.RestoredDump(Under("tenants/b.db"), _dir.File("b-restored.db")));
        Assert.Equal(Sqlite3.Dump(c), LitestreamCli.RestoredDump(Under("tenants/c.db"), _dir.File("c-restored.db")));
        // And by path through the config, as after losing the machine's disk.
        File.Delete(c);
        LitestreamCli.Run("restore", "-config", config, c).EnsureSuccess("restore -config " + c);
        Assert.Null(Ledger.Problem(c));
        Assert.Equal(Sqlite3.Dump(_dir.File("c-restored.db")), Sqlite3.Dump(c));
    }

    [Fact]
    public void A_directory_with_no_database_and_no_watch_refuses_to_start()
    {
        var empty = _dir.File("empty");
        Directory.CreateDirectory(empty);
        var config = _dir.File("empty.yml");
        File.WriteAllText(config, $"dbs:\n  - dir: {empty}\n    pattern: \"*.db\"\n    replica:\n      url: \"{_replicaUrl}\"\n");

        var result = LitestreamCli.Run("replicate", "-config", config);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"no SQLite databases found in {empty} matching \"*.db\"", line, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private string Under(string relative)
    {
        var query = _replicaUrl.IndexOf('?', StringComparison.Ordinal);
        return $"{_replicaUrl[..query]}/{relative}{_replicaUrl[query..]}";
    }
}
