using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Upstream's commands, flags and text shapes a script written for Litestream relies on: <c>reset</c>,
/// <c>restore -follow-interval</c>, <c>register -replica</c>, <c>unregister -dry-run</c>, <c>info</c>/<c>list</c>
/// with <c>-timeout</c> and <c>key: value</c> text, <c>sync</c>'s keys, live <c>status</c> saying <c>ok</c>, and
/// <c>databases -json</c> keeping upstream's <c>replica</c> key.
/// </summary>
public sealed class UpstreamCommandsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Node_commands_speak_upstreams_shapes()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    monitor-interval: 200ms\n    replica:\n      path: {replica}\n");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(81), 10));
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => node.Output);

        var info = Run("info", "-config", config, "-timeout", "5").Split('\n');
        Assert.StartsWith("Litestream v", info[0], StringComparison.Ordinal);
        Assert.Matches("^PID: [0-9]+$", info[1]);
        Assert.Matches("^Started at: [0-9-]+T[0-9:]+Z$", info[3]);
        Assert.Equal("Databases: 1", info[4]);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(db)} \\[replicating\\] \\(last sync: [0-9-]+T[0-9:]+Z\\)$", Run("list", "-config", config).Trim());
        Assert.Equal(2, LitestreamCli.Run("list", "-config", config, "-timeout", "0").ExitCode);

        Sqlite3.Execute(db, RandomRows.Inserts(new Random(82), 3));
        var sync = Run("sync", "-config", config, "-wait", db).Split('\n');
        // The node's own capture may have taken the commit already: no_change then.
        Assert.Matches("^status: (synced|no_change)$", sync[0]);
        Assert.Equal($"db_path: {db}", sync[1]);
        Assert.Matches("^txid: [0-9a-f]{16}$", sync[2]);
        Assert.Equal(sync[2].Replace("txid:", "replica_txid:", StringComparison.Ordinal), sync[3]);

        Assert.Contains($"{db}  ok", Run("status", "-config", config), StringComparison.Ordinal);
        var databases = JsonDocument.Parse(Run("databases", "-config", config, "-json")).RootElement;
        Assert.Equal("file", databases[0].GetProperty("replica").GetString());

        var other = _dir.File("other.db");
        Sqlite3.Execute(other, RandomRows.Schema);
        Assert.Contains("status: registered", Run("register", "-config", config, "-replica", "file://" + _dir.File("other-replica"), other), StringComparison.Ordinal);
        Assert.StartsWith("dry run: would sync", Run("unregister", "-socket", _dir.File("no-node.sock"), "-dry-run", other), StringComparison.Ordinal);
        Assert.Contains("status: unregistered", Run("unregister", "-config", config, other), StringComparison.Ordinal);
        Assert.Equal(0, node.Stop());
    }

    [Fact]
    public void Reset_removes_local_state_so_the_next_start_makes_a_full_copy_and_is_refused_while_a_node_runs()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(83), 30));
        LitestreamCli.Run("replicate", "-once", db, "file://" + replica).EnsureSuccess("replicate -once");
        var local = _dir.File(".app.db-litestream/ltx/0/0000000000000001-0000000000000001.ltx");
        Assert.Contains($"would remove {local}", Run("reset", "-dry-run", db), StringComparison.Ordinal);
        Assert.True(File.Exists(local));

        using (var node = ReplicateProcess.Start(db, "file://" + replica))
        {
            Eventually.True(() => node.Output.Contains("initialized db", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
            var refused = LitestreamCli.Run("reset", db);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("already replicated by process", refused.StandardError, StringComparison.Ordinal);
            Assert.Equal(0, node.Stop());
        }
        var reset = Run("reset", db);
        Assert.Contains($"Resetting local Litestream state for: {db}", reset, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir.File(".app.db-litestream/ltx")));
        Assert.Contains("No local state to reset", Run("reset", db), StringComparison.Ordinal);

        Sqlite3.Execute(db, RandomRows.Inserts(new Random(84), 5));
        var once = LitestreamCli.Run("replicate", "-once", db, "file://" + replica).EnsureSuccess("replicate -once after reset");
        var restored = LitestreamCli.RestoredDump("file://" + replica, _dir.File("restored.db"));
        Assert.True(Sqlite3.Dump(db) == restored, "the restore differs from the source after: \n" + once.StandardError + once.StandardOutput
            + string.Join("\n", ReplicaFiles.List(replica, 0).Select(f => $"{f.Min:x16}-{f.Max:x16}")));
    }

    [Fact]
    public void Restore_follow_polls_at_the_interval_asked()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(85), 10));
        LitestreamCli.Run("replicate", "-once", db, "file://" + replica).EnsureSuccess("replicate -once");
        Assert.Equal(2, LitestreamCli.Run("restore", "-f", "-follow-interval", "soon", "-o", _dir.File("bad.db"), "file://" + replica).ExitCode);

        var follower = _dir.File("follower.db");
        using var follow = ReplicateProcess.StartRestoreFollow("-follow-interval", "200ms", "-o", follower, "file://" + replica);
        Eventually.True(() => follow.Output.Contains("restore complete", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => follow.Output);
        Sqlite3.Execute(db, RandomRows.Inserts(new Random(86), 5));
        LitestreamCli.Run("replicate", "-once", db, "file://" + replica).EnsureSuccess("replicate -once");
        Eventually.True(() => follow.Output.Contains("applied", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => follow.Output);
        Assert.Equal(0, follow.Stop());
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(follower));
    }

    public void Dispose() => _dir.Dispose();

    private static string Run(params string[] args) => LitestreamCli.Run(args).EnsureSuccess(string.Join(' ', args)).StandardOutput;
}
