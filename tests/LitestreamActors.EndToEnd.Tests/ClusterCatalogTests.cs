using System.Diagnostics;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Three real node processes on loopback form a cluster from their configs, two through config discovery and one by
/// a seed node (docs/cluster.md): any node shows every
/// member and every node's databases; a node killed with -9 is seen unreachable, removed by the split brain resolver
/// and its rows leave the catalog; restarted, it rejoins and its database replicates on with no gap.
/// </summary>
public sealed class ClusterCatalogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly int[] _ports = [FreeTcpPort.Next(), FreeTcpPort.Next(), FreeTcpPort.Next()];

    [Fact]
    public void Any_node_shows_every_member_and_database_and_a_killed_node_leaves_and_rejoins_with_no_gap()
    {
        var nodes = new ReplicateProcess?[3];
        try
        {
            for (var i = 0; i < 3; i++)
            {
                Directory.CreateDirectory(_dir.File($"node{i}"));
                Sqlite3.Execute(Db(i), RandomRows.Schema + RandomRows.Inserts(new Random(80 + i), 20));
                nodes[i] = Started(i);
            }
            Eventually.True(() => Members(0).Count(m => m.Status == "Up") == 3, TimeSpan.FromSeconds(60), () => Log(nodes));
            // Node 1's catalog is read below too: each node's copy converges on its own.
            Eventually.True(() => new[] { 0, 1 }.All(n => Databases(n).Select(r => r.Database).ToHashSet().SetEquals([Db(0), Db(1), Db(2)])),
                TimeSpan.FromSeconds(10), () => Log(nodes));

            // A commit on node 3 is seen in the catalog of node 1.
            var before = Databases(0).Single(r => r.Database == Db(2)).Txid;
            Sqlite3.Execute(Db(2), RandomRows.Inserts(new Random(90), 5));
            var seen = Stopwatch.StartNew();
            Eventually.True(() => Databases(0).Single(r => r.Database == Db(2)) is { } row && row.Txid != before && row.ReplicaTxid == row.Txid,
                TimeSpan.FromSeconds(5), () => Log(nodes));
            Console.WriteLine($"catalog: a commit on node 3 seen replicated in node 1's catalog after {seen.ElapsedMilliseconds} ms");

            // Node 3's actor tree, asked through node 1.
            var remote = LitestreamCli.Run("actors", "-json", "-socket", Socket(0), "-node", $"127.0.0.1:{_ports[2]}", "/user/litestream").EnsureSuccess("actors -node");
            Assert.Contains("DatabaseActor", Types(JsonDocument.Parse(remote.StandardOutput).RootElement));

            nodes[2]!.Kill9();
            Eventually.True(() => Members(0).Any(m => m.Address.EndsWith($":{_ports[2]}", StringComparison.Ordinal) && !m.Reachable),
                TimeSpan.FromSeconds(10), () => Log(nodes));
            Eventually.True(() => Members(0).Count == 2 && Databases(1).All(r => r.Database != Db(2)), TimeSpan.FromSeconds(30), () => Log(nodes));

            Sqlite3.Execute(Db(2), RandomRows.Inserts(new Random(91), 5));
            nodes[2]!.Dispose();
            nodes[2] = Started(2);
            Eventually.True(() => Members(0).Count(m => m.Status == "Up") == 3 && Databases(0).Any(r => r.Database == Db(2)),
                TimeSpan.FromSeconds(60), () => Log(nodes));
            Sqlite3.Execute(Db(2), RandomRows.Inserts(new Random(92), 5));
            LitestreamCli.Run("sync", "-socket", Socket(2), "-wait", "-timeout", "60", Db(2)).EnsureSuccess("sync -wait on node 3");
            for (var i = 2; i >= 0; i--)
            {
                Assert.True(nodes[i]!.Stop() == 0, nodes[i]!.Output);
            }
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(Sqlite3.Dump(Db(i)), LitestreamCli.RestoredDump("file://" + Replica(i), _dir.File($"restored-{i}.db")));
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                node?.Dispose();
            }
        }
    }

    [Fact]
    public void A_node_without_a_cluster_section_says_so_in_one_line()
    {
        var db = _dir.File("solo.db");
        Sqlite3.Execute(db, RandomRows.Schema);
        var socket = _dir.File("solo.sock");
        var config = _dir.File("solo.yml");
        File.WriteAllText(config, $"socket:\n  path: {socket}\ndbs:\n  - path: {db}\n    replica:\n      path: {_dir.File("solo-replica")}\n");
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        var show = LitestreamCli.Run("cluster", "show", "-socket", socket);
        Assert.Equal(1, show.ExitCode);
        Assert.Contains("not in a cluster", Assert.Single(show.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        // The tree of the design: supervisor, a DatabaseActor per database with its reader, encoder and replicas.
        var tree = JsonDocument.Parse(LitestreamCli.Run("actors", "-json", "-socket", socket).EnsureSuccess("actors").StandardOutput).RootElement;
        Assert.Superset(
            new HashSet<string> { "LitestreamSupervisor", "DatabaseActor", "WalReaderActor", "LtxEncoderActor", "ReplicaActor", "UploaderActor", "CompactionActor", "RetentionActor" },
            Types(tree));
        var missing = LitestreamCli.Run("actors", "-socket", socket, "/user/nothing");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no actor at /user/nothing", missing.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, node.Stop());
    }

    public void Dispose() => _dir.Dispose();

    private string Db(int node) => _dir.File($"node{node}/app.db");

    private string Replica(int node) => _dir.File($"node{node}/replica");

    private string Socket(int node) => _dir.File($"node{node}.sock");

    // Nodes 1 and 2 find each other through config discovery (at least 2 seen before joining); node 3 joins by seed node.
    private ReplicateProcess Started(int node) => Started(node, node < 2
        ? $"cluster:\n  port: {_ports[node]}\n  required-contact-points: 2\n  discovery:\n    method: config\n    endpoints: [\"127.0.0.1:{_ports[0]}\", \"127.0.0.1:{_ports[1]}\"]\n  split-brain:\n    stable-after: 3s\n"
        : $"cluster:\n  port: {_ports[node]}\n  seed-nodes: [\"127.0.0.1:{_ports[0]}\"]\n  split-brain:\n    stable-after: 3s\n");

    private ReplicateProcess Started(int node, string cluster)
    {
        var config = _dir.File($"node{node}.yml");
        File.WriteAllText(config, $"socket:\n  path: {Socket(node)}\n" + cluster
            + $"dbs:\n  - path: {Db(node)}\n    monitor-interval: 100ms\n    replica:\n      path: {Replica(node)}\n");
        var process = ReplicateProcess.Start("-config", config);
        Eventually.True(() => process.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => process.Output);
        return process;
    }

    private List<Member> Members(int node) => [.. Query(node, "show").GetProperty("members").EnumerateArray().Select(m => new Member(
        m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!, m.GetProperty("reachable").GetBoolean()))];

    private List<Row> Databases(int node) => [.. Query(node, "databases").GetProperty("databases").EnumerateArray().Select(r => new Row(
        r.GetProperty("database").GetString()!, r.GetProperty("txid").GetString(), r.GetProperty("replica_txid").GetString()))];

    private JsonElement Query(int node, string what)
    {
        var result = LitestreamCli.Run("cluster", what, "-json", "-socket", Socket(node)).EnsureSuccess($"cluster {what} on node {node + 1}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    private static HashSet<string> Types(JsonElement actor) =>
        [actor.GetProperty("type").GetString()!, .. actor.GetProperty("children").EnumerateArray().SelectMany(Types)];

    private static string Log(ReplicateProcess?[] nodes) =>
        string.Join("\n", nodes.Select((n, i) => $"--- node {i + 1}:\n{n?.Output}"));

    private sealed record Member(string Address, string Status, bool Reachable);

    private sealed record Row(string Database, string? Txid, string? ReplicaTxid);
}
