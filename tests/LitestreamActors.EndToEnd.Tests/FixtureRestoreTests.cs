using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>The replica written by the real Litestream 0.5.17 restores, through our binary, to its recorded dumps.</summary>
public sealed class FixtureRestoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string ReplicaUrl => "file://" + Path.Combine(RepositoryPaths.LtxFixture, "replica");

    public static TheoryData<string> Txids() => new(Directory.GetFiles(Path.Combine(RepositoryPaths.LtxFixture, "expected"), "*.sql")
        .Select(Path.GetFileNameWithoutExtension).Order()!);

    [Theory]
    [MemberData(nameof(Txids))]
    public void Each_txid_restores_to_exactly_its_expected_dump(string txid)
    {
        var output = _dir.File($"{txid}.db");
        LitestreamCli.Run("restore", "-txid", txid, "-o", output, ReplicaUrl).EnsureSuccess("restore");
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.LtxFixture, "expected", txid + ".sql")), Sqlite3.Dump(output));
    }

    [Fact]
    public void A_database_path_in_the_config_restores_its_latest_state()
    {
        var config = _dir.File("litestream.yml");
        var db = _dir.File("app.db");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    replica:\n      type: file\n      path: {Path.Combine(RepositoryPaths.LtxFixture, "replica")}\n");

        var result = LitestreamCli.Run("restore", "-config", config, "-integrity-check", "full", db).EnsureSuccess("restore");

        Assert.Contains("restore complete", result.StandardError, StringComparison.Ordinal);
        var latest = Directory.GetFiles(Path.Combine(RepositoryPaths.LtxFixture, "expected"), "*.sql").Order().Last();
        Assert.Equal(File.ReadAllText(latest), Sqlite3.Dump(db));
    }

    [Fact]
    public void Timestamp_restore_uses_files_created_before_the_moment()
    {
        var replica = _dir.File("replica");
        DirectoryCopy.Copy(Path.Combine(RepositoryPaths.LtxFixture, "replica"), replica);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var file in Directory.GetFiles(Path.Combine(replica, "ltx", "0")))
        {
            File.SetLastWriteTimeUtc(file, start.AddMinutes(int.Parse(Path.GetFileName(file)[..16], System.Globalization.NumberStyles.HexNumber)));
        }

        var output = _dir.File("at.db");
        LitestreamCli.Run("restore", "-timestamp", "2026-01-01T00:03:30Z", "-o", output, "file://" + replica).EnsureSuccess("restore");
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.LtxFixture, "expected", "0000000000000003.sql")), Sqlite3.Dump(output));

        var early = LitestreamCli.Run("restore", "-timestamp", "2025-12-31T00:00:00Z", "-o", _dir.File("early.db"), "file://" + replica);
        Assert.Equal(1, early.ExitCode);
        Assert.Contains("no backup files before 2025-12-31T00:00:00.000Z", early.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Ltx_lists_the_files_with_upstream_columns_and_as_json()
    {
        var text = LitestreamCli.Run("ltx", ReplicaUrl).EnsureSuccess("ltx").StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["level", "min_txid", "max_txid", "size", "created"], text[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(6, text.Length);
        Assert.StartsWith("0      0000000000000001  0000000000000001  ", text[1], StringComparison.Ordinal);

        var json = System.Text.Json.JsonDocument.Parse(LitestreamCli.Run("ltx", "-json", "-level", "all", ReplicaUrl).EnsureSuccess("ltx").StandardOutput);
        var first = json.RootElement[0];
        Assert.Equal(5, json.RootElement.GetArrayLength());
        Assert.Equal(["level", "min_txid", "max_txid", "size", "timestamp"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("0000000000000001", first.GetProperty("max_txid").GetString());
    }

    [Fact]
    public void Wal_runs_ltx_and_warns_that_it_is_deprecated()
    {
        var result = LitestreamCli.Run("wal", ReplicaUrl).EnsureSuccess("wal");
        Assert.Contains("deprecated", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(LitestreamCli.Run("ltx", ReplicaUrl).StandardOutput, result.StandardOutput);
    }

    [Fact]
    public void Dry_run_prints_the_plan_and_writes_nothing()
    {
        var output = _dir.File("never.db");
        var json = LitestreamCli.Run("restore", "-dry-run", "-json", "-o", output, ReplicaUrl).EnsureSuccess("restore");
        var plan = System.Text.Json.JsonDocument.Parse(json.StandardOutput).RootElement;
        Assert.Equal("0000000000000005", plan.GetProperty("max_txid").GetString());
        Assert.Equal(5, plan.GetProperty("files").GetArrayLength());
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    public void Dispose() => _dir.Dispose();
}
