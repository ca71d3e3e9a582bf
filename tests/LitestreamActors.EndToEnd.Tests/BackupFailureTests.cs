using System.Net;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// A backup that did not happen is never exit 0 and never quiet: <c>replicate -once</c> exits 1 with one line naming
/// the cause, a running node shows the database as failed (or waiting) with the cause in <c>databases</c>, status and
/// readiness, and its stop exits 1. Every record is one line: no stack trace, no Akka-formatted line.
/// </summary>
public sealed class BackupFailureTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;

    public BackupFailureTests()
    {
        _db = _dir.File("app.db");
    }

    [Fact]
    public void Once_fails_with_the_cause_when_the_replica_folder_is_a_file()
    {
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(new Random(1), 5));
        var folder = _dir.File("replica");
        File.WriteAllText(folder, "a file, not a folder");
        var run = LitestreamCli.Run("replicate", "-once", _db, "file://" + folder);
        AssertFailedWith(run, $"final sync failed: replica file: lease: replica {folder}: {folder} is a file, not a folder");
    }

    [Fact]
    public void Once_fails_when_the_database_file_does_not_exist()
    {
        var run = LitestreamCli.Run("replicate", "-once", _db, "file://" + _dir.File("replica"));
        AssertFailedWith(run, $"final sync failed: the database file {_db} does not exist");
    }

    [Fact]
    public void Once_fails_on_a_file_that_is_not_sqlite_and_writes_nothing_to_it()
    {
        File.WriteAllText(_db, "not a database, just text that is long enough");
        var run = LitestreamCli.Run("replicate", "-once", _db, "file://" + _dir.File("replica"));
        AssertFailedWith(run, $"final sync failed: {_db} is not an SQLite database (it does not start with the SQLite header); nothing was written to it");
        Assert.Equal("not a database, just text that is long enough", File.ReadAllText(_db));
        Assert.False(File.Exists(_db + "-wal"));
        Assert.False(Directory.Exists(_dir.File(".app.db-litestream/ltx")));
    }

    [Fact]
    public void Once_fails_at_the_first_attempt_when_gcs_has_no_credentials()
    {
        Sqlite3.Execute(_db, RandomRows.Schema);
        var run = ProcessRunner.Run(LitestreamCli.Executable, ["replicate", "-once", _db, "gs://lsa-no-such-bucket/app"],
            environment: new Dictionary<string, string?> { ["GOOGLE_APPLICATION_CREDENTIALS"] = null, ["HOME"] = _dir.Path });
        AssertFailedWith(run, "final sync failed: replica gs: lease: gs gs://lsa-no-such-bucket/app: no usable Google credentials");
        Assert.True(Lines(run, "level=WARN").Count <= 1, run.StandardError);
    }

    [Fact]
    public void A_running_node_shows_a_failing_replica_as_failed_and_its_stop_exits_1()
    {
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(new Random(2), 5));
        var folder = _dir.File("replica");
        File.WriteAllText(folder, "a file, not a folder");
        var port = FreeTcpPort.Next();
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"addr: \"127.0.0.1:{port}\"\ndbs:\n  - path: {_db}\n    monitor-interval: 200ms\n    replica:\n      path: {folder}\n");
        using var node = ReplicateProcess.Start("-config", config);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var cause = $"{folder} is a file, not a folder";
        Eventually.True(() => Ready(http).Result is (HttpStatusCode.ServiceUnavailable, var body) && body.Contains(cause, StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), () => node.Output);

        var databases = JsonDocument.Parse(LitestreamCli.Run("databases", "-config", config, "-json").EnsureSuccess("databases").StandardOutput).RootElement;
        var database = databases.EnumerateArray().Single();
        Assert.Equal("failed", database.GetProperty("status").GetString());
        Assert.Contains(cause, database.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        // status speaks upstream's words: error.
        Assert.Contains($"{_db}  error", LitestreamCli.Run("status", "-config", config).EnsureSuccess("status").StandardOutput, StringComparison.Ordinal);

        Assert.Equal(1, node.Stop());
        Assert.Contains($"final sync failed: replica file: lease: replica {folder}: {cause}", node.Output, StringComparison.Ordinal);
        AssertOneLineRecords(node.Output);
    }

    [Fact]
    public void A_database_that_does_not_exist_yet_is_waited_on_with_one_line_then_replicated()
    {
        var replica = _dir.File("replica");
        using var node = ReplicateProcess.Start(_db, "file://" + replica);
        Eventually.True(() => node.Output.Contains("waiting for the database file to appear", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        Thread.Sleep(2000);
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(new Random(3), 20));
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => node.Output);
        Assert.Equal(0, node.Stop());
        Assert.Single(node.Output.Split('\n'), line => line.Contains("waiting for the database file to appear", StringComparison.Ordinal));
        Assert.Equal(Sqlite3.Dump(_db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("restored.db")));
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<(HttpStatusCode, string)> Ready(HttpClient http)
    {
        try
        {
            var response = await http.GetAsync("/health/ready");
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (0, string.Empty);
        }
    }

    private static void AssertFailedWith(ProcessResult run, string error)
    {
        var output = run.StandardOutput + run.StandardError;
        Assert.True(run.ExitCode == 1, $"exit {run.ExitCode}:\n{output}");
        var errors = Lines(run, "level=ERROR");
        Assert.True(errors.Count == 1, output);
        Assert.Contains(error, errors[0], StringComparison.Ordinal);
        AssertOneLineRecords(output);
    }

    private static List<string> Lines(ProcessResult run, string marker) =>
        (run.StandardOutput + run.StandardError).Split('\n').Where(l => l.Contains(marker, StringComparison.Ordinal)).ToList();

    // Every record starts with time=; nothing else (a stack trace's "   at", Akka's "[INFO][") gets a line of its own.
    private static void AssertOneLineRecords(string output) =>
        Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("time=", line, StringComparison.Ordinal));
}
