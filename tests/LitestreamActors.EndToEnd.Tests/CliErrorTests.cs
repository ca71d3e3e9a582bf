using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>Bad input gets one clear line and the right exit code, never a stack trace, never a half-written output.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _replica;

    public CliErrorTests()
    {
        _replica = _dir.File("replica");
        DirectoryCopy.Copy(Path.Combine(RepositoryPaths.LtxFixture, "replica"), _replica);
    }

    private string Url => "file://" + _replica;

    private string L0(ulong txid) => Path.Combine(_replica, "ltx", "0", $"{txid:x16}-{txid:x16}.ltx");

    [Fact]
    public void Node_commands_with_no_node_running_say_so_with_the_socket()
    {
        var socket = _dir.File("none.sock");
        foreach (var command in new[] { "info", "list" })
        {
            AssertOneLineError(LitestreamCli.Run(command, "-socket", socket), 1, $"no litestream node is running (socket {socket})");
        }
        AssertOneLineError(LitestreamCli.Run("unregister", "-socket", socket, _dir.File("app.db")), 1, $"no litestream node is running (socket {socket})");
        // No config file anywhere: upstream's socket, not an error about /etc/litestream.yml.
        Assert.False(File.Exists("/etc/litestream.yml"), "this machine has /etc/litestream.yml");
        var run = ProcessRunner.Run(LitestreamCli.Executable, ["list"], environment: new Dictionary<string, string?> { ["LITESTREAM_CONFIG"] = null });
        AssertOneLineError(run, 1, "no litestream node is running (socket /var/run/litestream.sock)");
    }

    [Fact]
    public void A_timestamp_without_its_offset_is_refused()
    {
        var run = LitestreamCli.Run("restore", "-timestamp", "2026-12-02T00:46:48", "-o", _dir.File("out.db"), Url);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("Error: invalid -timestamp \"2026-12-02T00:46:48\": expected RFC 3339 with its offset, e.g. 2026-01-02T15:04:05Z", run.StandardError.Split('\n')[0]);
        AssertNoOutput();
    }

    [Fact]
    public void A_corrupt_file_names_itself_and_leaves_no_output()
    {
        var bytes = File.ReadAllBytes(L0(3));
        bytes[bytes.Length / 3] ^= 0x20;
        File.WriteAllBytes(L0(3), bytes);
        AssertOneLineError(LitestreamCli.Run("restore", "-o", _dir.File("out.db"), Url), 1, "ltx/0/0000000000000003-0000000000000003.ltx: ");
        AssertNoOutput();
    }

    [Fact]
    public void A_truncated_file_names_itself_and_leaves_no_output()
    {
        var bytes = File.ReadAllBytes(L0(2));
        File.WriteAllBytes(L0(2), bytes[..(bytes.Length - 10)]);
        AssertOneLineError(LitestreamCli.Run("restore", "-o", _dir.File("out.db"), Url), 1, "ltx/0/0000000000000002-0000000000000002.ltx: ");
        AssertNoOutput();
    }

    [Fact]
    public void A_gap_in_the_chain_is_refused()
    {
        File.Delete(L0(3));
        AssertOneLineError(LitestreamCli.Run("restore", "-o", _dir.File("out.db"), Url), 1, "non-contiguous ltx files: gap after TXID 0000000000000002");
        AssertNoOutput();
    }

    [Fact]
    public void A_txid_not_in_the_replica_is_refused()
    {
        AssertOneLineError(LitestreamCli.Run("restore", "-txid", "00000000000000ff", "-o", _dir.File("out.db"), Url), 1, "transaction 00000000000000ff not available");
        AssertNoOutput();
    }

    [Fact]
    public void An_existing_output_is_kept_unless_forced()
    {
        var output = _dir.File("out.db");
        File.WriteAllText(output, "keep me");
        AssertOneLineError(LitestreamCli.Run("restore", "-o", output, Url), 1, $"output file already exists: {output}");
        Assert.Equal("keep me", File.ReadAllText(output));

        Assert.Equal(0, LitestreamCli.Run("restore", "-if-db-not-exists", "-o", output, Url).ExitCode);
        Assert.Equal("keep me", File.ReadAllText(output));

        LitestreamCli.Run("restore", "-force", "-o", output, Url).EnsureSuccess("restore -force");
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.LtxFixture, "expected", "0000000000000005.sql")), Sqlite3.Dump(output));
    }

    [Fact]
    public void An_empty_replica_fails_unless_if_replica_exists()
    {
        var empty = "file://" + _dir.File("empty");
        AssertOneLineError(LitestreamCli.Run("restore", "-o", _dir.File("out.db"), empty), 1, "no matching backup files available");
        Assert.Equal(0, LitestreamCli.Run("restore", "-if-replica-exists", "-o", _dir.File("out.db"), empty).ExitCode);
        AssertNoOutput();
    }

    [Theory]
    [InlineData("restore", "-txid", "12", "-o", "x.db", "file:///r")]
    [InlineData("restore", "-timestamp", "yesterday", "-o", "x.db", "file:///r")]
    [InlineData("restore", "-txid", "0000000000000001", "-timestamp", "2026-01-01T00:00:00Z", "-o", "x.db", "file:///r")]
    [InlineData("restore", "-integrity-check", "thorough", "-o", "x.db", "file:///r")]
    [InlineData("restore", "-bogus", "file:///r")]
    [InlineData("restore", "file:///r")]
    [InlineData("restore")]
    [InlineData("ltx", "-level", "12", "file:///r")]
    [InlineData("ltx", "file:///r", "-json")]
    [InlineData("nonsense")]
    public void Usage_errors_exit_2_with_a_pointer_to_help(params string[] args)
    {
        var result = LitestreamCli.Run(args);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("Error: ", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_config_is_one_line_naming_file_and_line()
    {
        var config = _dir.File("bad.yml");
        File.WriteAllText(config, "dbs:\n  - path: /a.db\n    replica: {url: [\n");
        AssertOneLineError(LitestreamCli.Run("restore", "-config", config, "/a.db"), 1, $"{config}: line ");
    }

    [Fact]
    public void A_database_missing_from_the_config_is_named()
    {
        var config = _dir.File("ok.yml");
        File.WriteAllText(config, $"dbs:\n  - path: /a.db\n    replica:\n      url: {Url}\n");
        AssertOneLineError(LitestreamCli.Run("ltx", "-config", config, "/b.db"), 1, "database not found in config: /b.db");
    }

    [Fact]
    public void A_bad_replica_url_is_named()
    {
        AssertOneLineError(LitestreamCli.Run("ltx", "file://host/path"), 1, "file replica URL must name an absolute path");
        AssertOneLineError(LitestreamCli.Run("ltx", "ftp://example/path"), 1, "replica type \"ftp\" is not supported");
    }

    [Theory]
    [InlineData("restore", true)]
    [InlineData("ltx", true)]
    [InlineData("wal", false)]
    [InlineData("version", true)]
    public void Every_command_has_help(string command, bool listed)
    {
        var result = LitestreamCli.Run(command, "-h");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"litestream {command}", result.StandardOutput, StringComparison.Ordinal);
        // wal is a hidden alias, as upstream keeps it.
        Assert.Equal(listed, LitestreamCli.Run("help").StandardOutput.Contains($"    {command} ", StringComparison.Ordinal));
    }

    [Fact]
    public void Version_prints_a_version()
    {
        Assert.Matches("^v\\d+\\.\\d+\\.\\d+\\n$", LitestreamCli.Run("version").EnsureSuccess("version").StandardOutput);
    }

    public void Dispose() => _dir.Dispose();

    private static void AssertOneLineError(ProcessResult result, int exitCode, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got: {result.StandardError}");
        Assert.StartsWith("Error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
    }

    private void AssertNoOutput() =>
        Assert.Equal(["replica"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
}
