using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// <c>exec</c>: the list form's hooks fire on started, synced, snapshot and stopped with their <c>LITESTREAM_*</c>
/// variables while a failing and a hanging hook only draw warnings; the string form (and <c>-exec</c>) runs the
/// application, forwards our stop signal to it, and exits with its code after a final sync.
/// </summary>
public sealed class ExecTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Hooks_fire_on_events_with_their_variables_and_a_failing_hook_never_stops_replication()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(120), 10));
        var replica = _dir.File("replica");
        var events = _dir.File("events.log");
        // A script reads the variables: the config itself expands $VARS, as upstream's does.
        var script = _dir.File("hook.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$LITESTREAM_EVENT|$LITESTREAM_DB_PATH|$LITESTREAM_REPLICA|$LITESTREAM_TXID\" >> {events}\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var record = $"[\"{script}\"]";
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"""
            snapshot:
              interval: 2s
            exec:
              - cmd: {record}
              - cmd: ["sleep", "30"]
                timeout: 1s
              - cmd: {record}
                on: synced
              - cmd: ["false"]
                on: synced
              - cmd: {record}
                on: snapshot
              - cmd: {record}
                on: stopped
            dbs:
              - path: {db}
                monitor-interval: 100ms
                replica:
                  path: {replica}
            """);
        using var node = ReplicateProcess.Start("-config", config);
        for (var i = 0; i < 5; i++)
        {
            Sqlite3.Execute(db, RandomRows.Inserts(new Random(i), 5));
            Thread.Sleep(300);
        }
        Eventually.True(() => File.Exists(events) && File.ReadAllText(events).Contains("snapshot|", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), () => node.Output);
        LitestreamCli.Run("sync", "-config", config, "-wait", db).EnsureSuccess("sync");
        // The started hook's 1 s timeout runs out after the database replicates: on a quick run, after the snapshot too.
        Eventually.True(() => node.Output.Contains("exec hook failed event=started", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => node.Output);
        Assert.Equal(0, node.Stop());

        var lines = File.ReadAllLines(events);
        // started once the database is replicating, with its path and TXID; snapshot with the database's path too.
        Assert.Contains(lines, l => l.StartsWith($"started|{db}||", StringComparison.Ordinal) && l.Length == $"started|{db}||".Length + 16);
        Assert.Contains(lines, l => l.StartsWith($"synced|{db}||", StringComparison.Ordinal) && l.Length == $"synced|{db}||".Length + 16);
        Assert.Contains(lines, l => l.StartsWith($"snapshot|{db}|file|", StringComparison.Ordinal));
        Assert.True(node.Output.IndexOf("initialized db", StringComparison.Ordinal) < node.Output.IndexOf("exec hook ran event=started", StringComparison.Ordinal),
            "the started hook ran before the database was initialized");
        Assert.Contains("stopped|||", lines);
        Assert.Contains("exec hook failed event=started cmd=sleep: timed out after 1s and was killed; replication goes on", node.Output, StringComparison.Ordinal);
        Assert.Contains("exec hook failed event=synced cmd=false: exited with 1; replication goes on", node.Output, StringComparison.Ordinal);
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump("file://" + replica, _dir.File("restored.db")));
    }

    [Fact]
    public void The_application_runs_beside_replication_and_its_exit_code_ends_the_node_after_a_final_sync()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(121), 10));
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        // The application sets a busy timeout, as any sharing a database must: our start-up creates our two tables.
        File.WriteAllText(config, $"exec: \"sh -c 'sqlite3 -cmd \\\".timeout 5000\\\" {db} \\\"INSERT INTO t VALUES (999, 1, 2)\\\" && exit 3'\"\n"
            + $"dbs:\n  - path: {db}\n    replica:\n      path: {replica}\n");
        var run = LitestreamCli.Run("replicate", "-config", config);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("application exited; final sync", run.StandardError, StringComparison.Ordinal);
        var restored = LitestreamCli.RestoredDump("file://" + replica, _dir.File("restored.db"));
        Assert.Equal(Sqlite3.Dump(db), restored);
        Assert.Contains("999", restored, StringComparison.Ordinal);
    }

    [Fact]
    public void Our_stop_signal_reaches_the_application()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(122), 10));
        var trapped = _dir.File("trapped");
        using var node = ReplicateProcess.Start(
            "-exec", $"sh -c 'trap \"echo term > {trapped}; exit 0\" TERM; while true; do sleep 0.1; done'", db, "file://" + _dir.File("replica"));
        Eventually.True(() => node.Output.Contains("application started", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => node.Output);
        Assert.Equal(0, node.Stop());
        Assert.Equal("term\n", File.ReadAllText(trapped));
        Assert.Contains("forwarding to the application", node.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
