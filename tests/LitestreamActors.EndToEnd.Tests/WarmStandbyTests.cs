using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Warm standbys (docs/cluster.md, "Warm standbys"): node 1 replicates a database to S3 (s3rver) while a Python writer
/// commits; node 2 follows the replica into a file of its own; node 3 is the cluster's oldest member and majority
/// witness. Promoted (by <c>litestream promote</c> asked of any node, or automatically when node 1 is killed), node 2's
/// file becomes the database: the replica's chain goes on at the next TXID with no gap and no TXID written twice, a
/// writer switched to it commits more, the replica restores to its <c>.dump</c>, and node 1 writes nothing again
/// (<c>demoted</c>). Three nodes and a fast writer load both cores, so it runs with the writer matrix.
/// </summary>
[Collection(WriterMatrixCollection.Name)]
public sealed class WarmStandbyTests : IDisposable
{
    private const int LeaseSeconds = 6;
    private readonly TempDirectory _dir = new();
    private readonly int[] _ports = [FreeTcpPort.Next(), FreeTcpPort.Next(), FreeTcpPort.Next()];
    private readonly int _standbyHttp = FreeTcpPort.Next();
    private readonly string _replicaUrl = TestServers.S3Url("app");

    [Fact]
    public void A_manual_promotion_hands_the_replica_over_from_the_live_owner_and_the_chain_goes_on()
    {
        var nodes = new ReplicateProcess?[3];
        Sqlite3.Execute(Db, Ledger.Schema);
        try
        {
            StartAll(nodes, auto: false);
            RunWriter(Db, seconds: 3);
            // A restarted standby resumes from the TXID recorded beside its file.
            nodes[1]!.Dispose();
            RunWriter(Db, seconds: 2);
            nodes[1] = Started(1, auto: false);
            LitestreamCli.Run("sync", "-socket", Socket(0), "-wait", "-timeout", "60", Db).EnsureSuccess("sync -wait on the owner");
            AssertFollowerCaughtUp(nodes);
            Assert.Contains("resuming at txid=", nodes[1]!.Output, StringComparison.Ordinal);
            using (var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_standbyHttp}") })
            {
                var metrics = string.Empty;
                Eventually.True(() => (metrics = http.GetStringAsync("/metrics").GetAwaiter().GetResult()).Contains($"litestream_standby_lag_txids{{db=\"{Standby}\"}} 0", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(10), () => metrics);
                Assert.Contains("litestream_replicas{state=\"following\"} 1", metrics, StringComparison.Ordinal);
                Assert.Contains($"litestream_standby_lag_seconds{{db=\"{Standby}\"}} 0", metrics, StringComparison.Ordinal);
            }

            // Asked of node 3, which holds neither: the owner syncs and hands over, the standby applies and takes the replica.
            // Node 3 knows the standby once the restarted node 2's catalog rows have reached it.
            Eventually.True(() => Rows(2).Any(r => r.Database == Standby && r.Node == Address(1)), TimeSpan.FromSeconds(30), () => Log(nodes));
            var promoted = Stopwatch.StartNew();
            var answer = LitestreamCli.Run("promote", "-socket", Socket(2), "-timeout", "60", Standby);
            Assert.True(answer.ExitCode == 0, answer.StandardError + LitestreamCli.Run("cluster", "databases", "-json", "-socket", Socket(2)).StandardOutput);
            Console.WriteLine($"standby: promoted in {promoted.ElapsedMilliseconds} ms ({answer.StandardOutput.ReplaceLineEndings(" ")})");
            Assert.Contains("status: promoted", answer.StandardOutput, StringComparison.Ordinal);
            Eventually.True(() => Rows(2).SingleOrDefault(r => r.Node == Address(0)) is { State: "demoted" }, TimeSpan.FromSeconds(60), () => Log(nodes));

            FinishOnTheStandby(nodes);
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
    public void With_auto_the_standby_promotes_when_the_owner_is_killed_and_the_old_owner_comes_back_demoted()
    {
        var nodes = new ReplicateProcess?[3];
        Sqlite3.Execute(Db, Ledger.Schema);
        try
        {
            StartAll(nodes, auto: true);
            RunWriter(Db, seconds: 4);
            LitestreamCli.Run("sync", "-socket", Socket(0), "-wait", "-timeout", "60", Db).EnsureSuccess("sync -wait on the owner");
            AssertFollowerCaughtUp(nodes);
            var synced = Ledger.Rows(Db);

            using (var writer = Writer(Db, seconds: 6))
            {
                Thread.Sleep(TimeSpan.FromSeconds(3));
                var acknowledged = Ledger.Rows(Db);
                nodes[0]!.Kill9();
                var killed = Stopwatch.StartNew();
                Eventually.True(() => nodes[1]!.Output.Contains("promoted: replicating", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => Log(nodes));
                Console.WriteLine($"standby: promoted automatically {killed.ElapsedMilliseconds} ms after the owner was killed (stable-after 3s)");
                Eventually.True(() => Rows(2).SingleOrDefault(r => r.Node == Address(1)) is { State: "running" }, TimeSpan.FromSeconds(60), () => Log(nodes));
                Console.WriteLine($"standby: writing {killed.ElapsedMilliseconds} ms after the owner was killed");
                Assert.True(writer.WaitForExit(60_000), "the writer did not finish");
                // Every commit synced before the kill is in the promoted file; those acknowledged after the owner's last
                // upload are the window (the writer went on committing to the dead owner's file: not counted).
                var promotedRows = Ledger.Rows(Standby);
                Console.WriteLine($"standby: {synced} rows synced, {acknowledged} acknowledged before the kill, {promotedRows} in the promoted file: "
                    + $"{Math.Max(0, acknowledged - promotedRows)} rows ({Math.Max(0, acknowledged - promotedRows) / 2} transactions) in the unsynced window");
                Assert.True(promotedRows >= synced, $"{promotedRows} rows in the promoted file, {synced} were synced");
            }

            nodes[0]!.Dispose();
            nodes[0] = Started(0, auto: true);
            Eventually.True(() => Rows(2).SingleOrDefault(r => r.Node == Address(0)) is { State: "demoted" }, TimeSpan.FromSeconds(60), () => Log(nodes));
            Assert.Contains("demoted: a standby was promoted to", nodes[0]!.Output, StringComparison.Ordinal);

            FinishOnTheStandby(nodes);
        }
        finally
        {
            foreach (var node in nodes)
            {
                node?.Dispose();
            }
        }
    }

    public void Dispose() => _dir.Dispose();

    private string Db => _dir.File("app.db");

    private string Standby => _dir.File("standby.db");

    private string Socket(int node) => _dir.File($"node{node}.sock");

    private string Address(int node) => $"akka.tcp://litestream@127.0.0.1:{_ports[node]}";

    // Node 3 first: the oldest member keeps the cluster-wide grant (s3rver has no conditional writes) when node 1 dies.
    private void StartAll(ReplicateProcess?[] nodes, bool auto)
    {
        nodes[2] = Started(2, auto);
        nodes[0] = Started(0, auto);
        nodes[1] = Started(1, auto);
        Eventually.True(() => Rows(2) is { } rows && rows.Any(r => r.Node == Address(0) && r.State == "running") && rows.Any(r => r.Node == Address(1) && r.State == "following"),
            TimeSpan.FromSeconds(90), () => Log(nodes));
    }

    // Node 1 replicates the database, node 2 keeps a standby of its replica, node 3 has neither.
    private ReplicateProcess Started(int node, bool auto)
    {
        var config = _dir.File($"node{node}.yml");
        var text = $"socket:\n  path: {Socket(node)}\n"
            + $"cluster:\n  port: {_ports[node]}\n  seed-nodes: [\"127.0.0.1:{_ports[2]}\"]\n  lease-ttl: {LeaseSeconds}s\n  split-brain:\n    stable-after: 3s\n";
        text += node switch
        {
            0 => $"dbs:\n  - path: {Db}\n    monitor-interval: 100ms\n    replica:\n      url: \"{_replicaUrl}\"\n",
            1 => $"addr: \"127.0.0.1:{_standbyHttp}\"\nstandbys:\n  - replica: \"{_replicaUrl}\"\n    path: {Standby}\n    promote: {(auto ? "auto" : "manual")}\n",
            _ => string.Empty,
        };
        File.WriteAllText(config, text);
        var process = ReplicateProcess.Start("-config", config);
        Eventually.True(() => process.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => process.Output);
        return process;
    }

    private void AssertFollowerCaughtUp(ReplicateProcess?[] nodes)
    {
        // The catalog's rows can show the owner's TXID before its last sync reached them: equal TXIDs there alone do not
        // prove the follower has the owner's last commit, so the wait is also for the standby's content.
        var owner = Sqlite3.Dump(Db);
        Eventually.True(() => Rows(2) is { } rows && rows.SingleOrDefault(r => r.Node == Address(1)) is { Txid: { } following } && following == rows.Single(r => r.Node == Address(0)).Txid
            && Sqlite3.Run(Standby, ".dump\n") is { ExitCode: 0 } standby && standby.StandardOutput == owner,
            TimeSpan.FromSeconds(30), () => Log(nodes));
        Assert.Equal(owner, Sqlite3.Dump(Standby));
    }

    // A writer switched to the promoted file commits more; its last state is synced, and the replica's L0 chain has no
    // gap from the first TXID to the last and restores to the promoted file's .dump.
    private void FinishOnTheStandby(ReplicateProcess?[] nodes)
    {
        var before = MaxL0();
        RunWriter(Standby, seconds: 3);
        LitestreamCli.Run("sync", "-socket", Socket(1), "-wait", "-timeout", "60", Standby).EnsureSuccess("sync -wait on the promoted node");
        Assert.True(MaxL0() > before, "the promoted database uploaded nothing");
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var last = MaxL0();
        Assert.Equal(0, nodes[1]!.Stop());
        Assert.Equal(last, MaxL0());
        var l0 = L0Files();
        Assert.Equal(1UL, l0[0].Min);
        Assert.All(l0.Zip(l0.Skip(1)), pair => Assert.True(pair.Item2.Min == pair.Item1.Max + 1, $"L0 gap or overlap after {pair.Item1.Max:x16}: {pair.Item2.Min:x16}"));
        var restored = _dir.File("restored.db");
        Assert.Equal(Sqlite3.Dump(Standby), LitestreamCli.RestoredDump(_replicaUrl, restored));
        Assert.Null(Ledger.Problem(restored));
    }

    private ulong MaxL0() => L0Files().Select(f => f.Max).DefaultIfEmpty(0UL).Max();

    private List<(ulong Min, ulong Max)> L0Files()
    {
        var listing = LitestreamCli.Run("ltx", "-json", _replicaUrl).EnsureSuccess("ltx");
        return [.. JsonDocument.Parse(listing.StandardOutput).RootElement.EnumerateArray()
            .Where(f => f.GetProperty("level").GetInt32() == 0)
            .Select(f => (Hex(f.GetProperty("min_txid").GetString()!), Hex(f.GetProperty("max_txid").GetString()!)))
            .OrderBy(f => f.Item1)];
    }

    private static ulong Hex(string text) => ulong.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static void RunWriter(string db, int seconds)
    {
        using var writer = Writer(db, seconds);
        Assert.True(writer.WaitForExit(120_000), "the writer did not finish");
        Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());
    }

    private static Process Writer(string db, int seconds) => PythonLedgerWriter.Start(db, 100, seconds);

    private List<Row> Rows(int node)
    {
        var result = LitestreamCli.Run("cluster", "databases", "-json", "-socket", Socket(node)).EnsureSuccess($"cluster databases on node {node + 1}");
        return [.. JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("databases").EnumerateArray().Select(r => new Row(
            r.GetProperty("node").GetString()!, r.GetProperty("database").GetString()!, r.GetProperty("state").GetString()!, r.GetProperty("txid").GetString()))];
    }

    private static string Log(ReplicateProcess?[] nodes) =>
        string.Join("\n", nodes.Select((n, i) => $"--- node {i + 1}:\n{n?.Output}"));

    private sealed record Row(string Node, string Database, string State, string? Txid);
}
