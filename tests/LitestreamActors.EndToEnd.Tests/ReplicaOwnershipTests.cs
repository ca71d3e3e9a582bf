using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Replica.Lease;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Two cluster nodes configured for one database and one folder replica (as on a shared volume), a third node as the
/// cluster's majority witness, and a Python writer committing throughout (docs/cluster.md, "One writer per replica").
/// Exactly one node writes the target at any moment: every file carries the lease generation it was written under, and
/// the generations never go back; the standby takes over when the owner dies or is paused past its lease, and the
/// final restore equals the source. Three nodes and a fast writer load both cores, so it runs with the writer matrix.
/// </summary>
[Collection(WriterMatrixCollection.Name)]
public sealed class ReplicaOwnershipTests : IDisposable
{
    private const int LeaseSeconds = 6;
    private readonly TempDirectory _dir = new();
    private readonly int[] _ports = [FreeTcpPort.Next(), FreeTcpPort.Next(), FreeTcpPort.Next()];
    private readonly int _standbyHttp = FreeTcpPort.Next();
    private string? _replicaUrl;
    private NetworkNamespaces? _hosts;

    [Fact]
    public void One_node_writes_the_target_and_the_standby_takes_over_when_it_is_killed()
    {
        var nodes = new ReplicateProcess?[3];
        Sqlite3.Execute(Db, Ledger.Schema);
        try
        {
            nodes[0] = Started(0, sharedState: true);
            Eventually.True(() => nodes[0]!.Output.Contains("owner path=", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => Log(nodes));
            nodes[1] = Started(1, sharedState: true);
            nodes[2] = Started(2, sharedState: true);
            Eventually.True(() => Rows(1) is { Count: 2 } rows
                && rows.Single(r => r.Node == Address(0)) is { State: "running", Owner: var owner } && owner == Address(0)
                && rows.Single(r => r.Node == Address(1)) is { State: "standby", Owner: var standbyOwner } && standbyOwner == Address(0),
                TimeSpan.FromSeconds(60), () => Log(nodes));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_standbyHttp}") };
            var standbyMetrics = string.Empty;
            Eventually.True(() => (standbyMetrics = Scrape(http)).Contains("litestream_cluster_members{status=\"Up\"} 3", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), () => standbyMetrics);
            Assert.Contains("litestream_replicas{state=\"standby\"} 1", standbyMetrics, StringComparison.Ordinal);
            Assert.Contains("litestream_cluster_unreachable_members 0", standbyMetrics, StringComparison.Ordinal);

            using var writer = Writer(seconds: 18);
            Thread.Sleep(TimeSpan.FromSeconds(5));
            nodes[0]!.Kill9();
            var killed = Stopwatch.StartNew();
            Eventually.True(() => nodes[1]!.Output.Contains("owner path=", StringComparison.Ordinal), TimeSpan.FromSeconds(LeaseSeconds + 30), () => Log(nodes));
            Console.WriteLine($"ownership: standby took over {killed.ElapsedMilliseconds} ms after the owner was killed (lease {LeaseSeconds}s)");
            Eventually.True(() => Rows(2).SingleOrDefault(r => r.Node == Address(1)) is { State: "running" }, TimeSpan.FromSeconds(30), () => Log(nodes));
            var ownerMetrics = Scrape(http);
            Assert.Contains("litestream_replicas{state=\"running\"} 1", ownerMetrics, StringComparison.Ordinal);
            Assert.Contains($"litestream_replica_ownership_changes_total{{db=\"{Db}\",replica=\"file\",change=\"acquired\"}} 1", ownerMetrics, StringComparison.Ordinal);

            Assert.True(writer.WaitForExit(120_000), "the writer did not finish");
            Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());
            LitestreamCli.Run("sync", "-socket", Socket(1), "-wait", "-timeout", "60", Db).EnsureSuccess("sync -wait on the new owner");
            Assert.Equal(0, nodes[1]!.Stop());

            AssertTwoWritersInTurn();
            Assert.Equal(Address(1), ReadLease().Node);
            Assert.Null(ReplicaFiles.ChainProblem(Replica));
            AssertRestoresToSource(nodes);
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
    public void An_owner_paused_past_its_lease_writes_nothing_more_and_the_standby_goes_on_at_the_next_generation()
    {
        var nodes = new ReplicateProcess?[3];
        Sqlite3.Execute(Db, Ledger.Schema);
        try
        {
            // Each node keeps its local state on its own disk; only the database and the replica are shared.
            nodes[0] = Started(0, sharedState: false);
            Eventually.True(() => nodes[0]!.Output.Contains("owner path=", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => Log(nodes));
            nodes[1] = Started(1, sharedState: false);
            nodes[2] = Started(2, sharedState: false);
            Eventually.True(() => Rows(2) is { Count: 2 } rows && rows.All(r => r.Owner == Address(0)), TimeSpan.FromSeconds(60), () => Log(nodes));

            using var writer = Writer(seconds: 22);
            Thread.Sleep(TimeSpan.FromSeconds(4));
            nodes[0]!.Pause();
            var paused = Stopwatch.StartNew();
            Eventually.True(() => nodes[1]!.Output.Contains("owner path=", StringComparison.Ordinal), TimeSpan.FromSeconds(LeaseSeconds + 30), () => Log(nodes));
            Console.WriteLine($"ownership: standby took over {paused.ElapsedMilliseconds} ms after the owner was paused (lease {LeaseSeconds}s)");
            var takenOver = ReplicaFiles.MaxL0Txid(Replica);
            Eventually.True(() => ReplicaFiles.MaxL0Txid(Replica) > takenOver, TimeSpan.FromSeconds(30), () => Log(nodes));

            // Resumed long after its lease ran out: it must not write, and it goes back to standby or leaves (downed).
            nodes[0]!.Resume();
            Eventually.True(() => nodes[0]!.HasExited || nodes[0]!.Output.Contains("lost its lease", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => Log(nodes));

            // The old owner, now a standby, is stopped first: it would take the target over at the next generation
            // once the new owner stops and lets its lease go.
            nodes[0]!.Dispose();
            Assert.True(writer.WaitForExit(120_000), "the writer did not finish");
            Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());
            LitestreamCli.Run("sync", "-socket", Socket(1), "-wait", "-timeout", "60", Db).EnsureSuccess("sync -wait on the new owner");
            Assert.Equal(0, nodes[1]!.Stop());

            AssertTwoWritersInTurn();
            Assert.Null(ReplicaFiles.ChainProblem(Replica));
            AssertRestoresToSource(nodes);
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
    public void On_a_backend_without_conditional_writes_the_cluster_grant_keeps_one_writer()
    {
        _replicaUrl = TestServers.WebDavUrl();
        var nodes = new ReplicateProcess?[3];
        Sqlite3.Execute(Db, Ledger.Schema);
        try
        {
            nodes[0] = Started(0, sharedState: true);
            nodes[1] = Started(1, sharedState: true);
            nodes[2] = Started(2, sharedState: true);
            // The coordinator grants nothing for one lease lifetime after it starts; then the first to ask owns the target.
            Eventually.True(() => Rows(2) is { Count: 2 } rows && rows.Count(r => r.State == "running") == 1 && rows.Count(r => r.State == "standby") == 1,
                TimeSpan.FromSeconds(60), () => Log(nodes));
            var owner = Rows(2).Single(r => r.State == "running").Node == Address(0) ? 0 : 1;
            Assert.Contains("using the cluster-wide grant", nodes[owner]!.Output, StringComparison.Ordinal);

            using var writer = Writer(seconds: 12);
            Thread.Sleep(TimeSpan.FromSeconds(4));
            nodes[owner]!.Kill9();
            var standby = 1 - owner;
            Eventually.True(() => nodes[standby]!.Output.Contains("owner path=", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => Log(nodes));

            Assert.True(writer.WaitForExit(120_000), "the writer did not finish");
            Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());
            LitestreamCli.Run("sync", "-socket", Socket(standby), "-wait", "-timeout", "60", Db).EnsureSuccess("sync -wait on the new owner");
            Assert.Equal(0, nodes[standby]!.Stop());
            var restored = _dir.File("restored.db");
            Assert.Equal(Sqlite3.Dump(Db), LitestreamCli.RestoredDump(_replicaUrl, restored));
            Assert.Null(Ledger.Problem(restored));
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
    public void An_owner_cut_off_from_the_cluster_is_downed_and_the_majority_takes_over_with_nothing_lost()
    {
        // Each node on its own host (a network namespace); the database and the replica folder are shared storage.
        using var hosts = _hosts = new NetworkNamespaces(3);
        var nodes = new ReplicateProcess?[3];
        Sqlite3.Execute(Db, Ledger.Schema);
        try
        {
            nodes[0] = Started(0, sharedState: true);
            Eventually.True(() => nodes[0]!.Output.Contains("owner path=", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => Log(nodes));
            nodes[1] = Started(1, sharedState: true);
            nodes[2] = Started(2, sharedState: true);
            Eventually.True(() => Rows(2) is { Count: 2 } rows && rows.All(r => r.Owner == Address(0)), TimeSpan.FromSeconds(60), () => Log(nodes));

            using var writer = Writer(seconds: 25);
            Thread.Sleep(TimeSpan.FromSeconds(4));
            hosts.Cut(0);
            var cut = Stopwatch.StartNew();
            // The isolated owner is the minority: the resolver downs it (it exits 1), and the majority takes the target over.
            Eventually.True(() => nodes[1]!.Output.Contains("owner path=", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => Log(nodes));
            Console.WriteLine($"ownership: the majority took over {cut.ElapsedMilliseconds} ms after the owner was cut off (stable-after 3s, lease {LeaseSeconds}s)");
            Eventually.True(() => nodes[0]!.HasExited, TimeSpan.FromSeconds(60), () => Log(nodes));
            Assert.Equal(1, nodes[0]!.ExitCode());
            Assert.Contains("the cluster downed this node", nodes[0]!.Output, StringComparison.Ordinal);

            // Healed, the old owner starts again and rejoins as a standby of the new one.
            hosts.Heal(0);
            var firstRun = "--- node 0, before it was downed:\n" + nodes[0]!.Output + "\n";
            nodes[0]!.Dispose();
            nodes[0] = Started(0, sharedState: true);
            Eventually.True(() => Rows(2).SingleOrDefault(r => r.Node == Address(0)) is { State: "standby" } row && row.Owner == Address(1),
                TimeSpan.FromSeconds(60), () => Log(nodes));

            Assert.True(writer.WaitForExit(120_000), "the writer did not finish");
            Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());
            LitestreamCli.Run("sync", "-socket", Socket(1), "-wait", "-timeout", "60", Db).EnsureSuccess("sync -wait on the new owner");
            nodes[0]!.Dispose();
            Assert.Equal(0, nodes[1]!.Stop());

            AssertTwoWritersInTurn();
            Assert.Null(ReplicaFiles.ChainProblem(Replica));
            AssertRestoresToSource(nodes, firstRun);
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
    public void Once_with_a_cluster_section_waits_for_the_lease_and_backs_up()
    {
        Sqlite3.Execute(Db, Ledger.Schema);
        PythonLedgerWriter.Run(Db, new LedgerLoad(2, 200, 2, 64));
        var config = _dir.File("once.yml");
        File.WriteAllText(config, $"cluster:\n  port: {_ports[0]}\n  seed-nodes: [\"127.0.0.1:{_ports[0]}\"]\ndbs:\n  - path: {Db}\n    replica:\n      path: {Replica}\n");
        // The database starts as a standby; the final sync must wait for the lease and the capture, not end at once.
        LitestreamCli.Run("replicate", "-once", "-config", config).EnsureSuccess("replicate -once in a cluster");
        Assert.Equal(Sqlite3.Dump(Db), LitestreamCli.RestoredDump("file://" + Replica, _dir.File("restored.db")));
    }

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("app.db");

    private string Replica => _dir.File("replica");

    private string Socket(int node) => _dir.File($"node{node}.sock");

    private string Address(int node) => $"akka.tcp://litestream@{Host(node)}:{_ports[node]}";

    private string Host(int node) => _hosts?.Address(node) ?? "127.0.0.1";

    // A first seed node that restarts alone would form a cluster of its own: where node 0 restarts, node 1 is a seed too.
    private string Seeds => _hosts is null ? $"\"{Host(0)}:{_ports[0]}\"" : $"\"{Host(0)}:{_ports[0]}\", \"{Host(1)}:{_ports[1]}\"";

    // Nodes 0 and 1 replicate the same database to the same folder; node 2 has none and keeps a majority when one dies.
    private ReplicateProcess Started(int node, bool sharedState)
    {
        var config = _dir.File($"node{node}.yml");
        var text = $"socket:\n  path: {Socket(node)}\n" + (node == 1 && _hosts is null ? $"addr: \"127.0.0.1:{_standbyHttp}\"\n" : string.Empty)
            + $"cluster:\n  hostname: {Host(node)}\n  port: {_ports[node]}\n  seed-nodes: [{Seeds}]\n  lease-ttl: {LeaseSeconds}s\n"
            + "  split-brain:\n    stable-after: 3s\n"
            + "l0-retention: 1h\n";
        if (node < 2)
        {
            text += $"dbs:\n  - path: {Db}\n    monitor-interval: 100ms\n"
                + (sharedState ? string.Empty : $"    meta-path: {_dir.File($"state{node}")}\n")
                + (_replicaUrl is null ? $"    replica:\n      path: {Replica}\n" : $"    replica:\n      url: {_replicaUrl}\n");
        }
        File.WriteAllText(config, text);
        var process = _hosts is null ? ReplicateProcess.Start("-config", config) : ReplicateProcess.StartInNamespace(_hosts.Namespace(node), "-config", config);
        Eventually.True(() => process.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => process.Output);
        return process;
    }

    private Process Writer(int seconds) => PythonLedgerWriter.Start(Db, 200, seconds);

    // The generation of every L0 file in TXID order.
    private List<long> Generations() =>
    [
        .. ReplicaFiles.List(Replica, 0).OrderBy(f => f.Min).Select(f =>
            long.Parse(Storage.IO.FileAttributes.TryGet(new FileReplicaClient(Replica).FilePath(0, f.Min, f.Max), FileReplicaClient.GenerationAttribute)
                ?? throw new InvalidOperationException($"L0 file {f.Min:x16} carries no generation"), CultureInfo.InvariantCulture)),
    ];

    // Every L0 file carries the generation it was written under: never going back, and exactly one take-over.
    private void AssertTwoWritersInTurn()
    {
        var generations = Generations();
        Assert.True(generations.Zip(generations.Skip(1)).All(pair => pair.Item1 <= pair.Item2), "generations went back: " + string.Join(",", generations));
        Assert.Equal(2, generations.Distinct().Count());
    }

    private LeaseRecord ReadLease() => LeaseRecord.FromJson(File.ReadAllBytes(Path.Combine(Replica, LeaseRecord.FileName)))!;

    private List<Row> Rows(int node)
    {
        var result = LitestreamCli.Run("cluster", "databases", "-json", "-socket", Socket(node)).EnsureSuccess($"cluster databases on node {node}");
        return [.. JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("databases").EnumerateArray().Select(r => new Row(
            r.GetProperty("node").GetString()!, r.GetProperty("state").GetString()!, r.GetProperty("owner").GetString()!))];
    }

    private static string Scrape(HttpClient http) => http.GetStringAsync("/metrics").GetAwaiter().GetResult();

    // A restore that differs from the source fails with every node's log, a node's earlier run included: such a failure
    // may not come again. (The test's console output is not kept with its result; the failure message is.)
    private void AssertRestoresToSource(ReplicateProcess?[] nodes, string earlierRuns = "")
    {
        var restored = _dir.File("restored.db");
        var source = Sqlite3.Dump(Db);
        var dump = LitestreamCli.RestoredDump("file://" + Replica, restored);
        Assert.True(dump == source,
            $"the restore differs from the source: {Ledger.Problem(restored) ?? "its ledger agrees with itself"}\n{earlierRuns}{Log(nodes)}");
        Assert.Null(Ledger.Problem(restored));
    }

    private static string Log(ReplicateProcess?[] nodes) =>
        string.Join("\n", nodes.Select((n, i) => $"--- node {i}:\n{n?.Output}"));

    private sealed record Row(string Node, string State, string Owner);
}
