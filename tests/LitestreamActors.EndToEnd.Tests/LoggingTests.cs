using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// <c>logging: {level, type, stderr, file}</c>: JSON lines to stdout and the file at the configured level, the
/// <c>-log-level</c> flag over it, and the node's own lines (database opened, replica position) present once each.
/// </summary>
public sealed class LoggingTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Json_lines_go_to_stdout_and_the_file_at_the_configured_level_and_the_flag_overrides_it()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(130), 10));
        var file = _dir.File("logs/litestream.log");
        var config = _dir.File("litestream.yml");
        // heartbeat-url draws a warning (not supported yet), the one line the warn level lets through.
        File.WriteAllText(config, $"logging:\n  level: warn\n  type: json\n  stderr: false\n  file: {file}\nheartbeat-url: http://127.0.0.1:9/\n"
            + $"dbs:\n  - path: {db}\n    replica:\n      path: {_dir.File("replica")}\n");

        var quiet = LitestreamCli.Run("replicate", "-once", "-config", config);
        var lines = Lines(quiet.StandardOutput);
        Assert.Empty(quiet.StandardError);
        var warning = Assert.Single(lines);
        Assert.Equal("WARN", warning.GetProperty("level").GetString());
        Assert.Contains("heartbeat-url", warning.GetProperty("msg").GetString(), StringComparison.Ordinal);
        Assert.Equal(quiet.StandardOutput, File.ReadAllText(file));

        File.Delete(file);
        var verbose = LitestreamCli.Run("replicate", "-once", "-log-level", "info", "-config", config);
        var info = Lines(verbose.StandardOutput);
        Assert.Contains(info, l => l.GetProperty("msg").GetString()!.StartsWith("initialized db path=" + db, StringComparison.Ordinal));
        Assert.Contains(info, l => l.GetProperty("msg").GetString()!.StartsWith("replicating to type=file", StringComparison.Ordinal));
        Assert.Single(info, l => l.GetProperty("msg").GetString()!.StartsWith("litestream v", StringComparison.Ordinal));
        Assert.Equal(verbose.StandardOutput, File.ReadAllText(file));
    }

    [Fact]
    public void A_bad_logging_section_is_one_line_naming_it()
    {
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, "logging:\n  type: xml\ndbs: []\n");
        var run = LitestreamCli.Run("replicate", "-config", config);
        Assert.Equal((1, $"Error: {config}: line 2: invalid logging.type \"xml\": expected text or json\n"), (run.ExitCode, run.StandardError));
    }

    public void Dispose() => _dir.Dispose();

    private static List<JsonElement> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
}
