using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// <c>restore -cluster</c> (docs/cluster.md, "Restore against the cluster"): three real nodes on loopback; node 3
/// replicates a database to S3 (s3rver) while a Python writer commits; the CLI, holding no storage credentials, asks
/// node 1, and the restored file holds every commit acknowledged before the request. With the writer stopped, the
/// restore equals the source's <c>.dump</c>, by TXID and by moment too.
/// </summary>
public sealed class ClusterRestoreTests : IDisposable
{
    private static readonly string[] CredentialVariables =
        ["LITESTREAM_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "LITESTREAM_AZURE_ACCOUNT_KEY"];

    private readonly TempDirectory _dir = new();
    private readonly int[] _ports = [FreeTcpPort.Next(), FreeTcpPort.Next(), FreeTcpPort.Next()];
    private readonly int _mcpPort = FreeTcpPort.Next();
    private readonly string _replicaUrl = TestServers.S3Url("app");

    [Fact]
    public void Any_node_restores_every_acknowledged_commit_from_the_replica_for_a_cli_without_credentials()
    {
        var nodes = new ReplicateProcess?[3];
        Sqlite3.Execute(Db, Ledger.Schema);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                nodes[i] = Started(i);
            }
            Eventually.True(() => Rows(0).Any(r => r.Database == Db && r.State == "running"), TimeSpan.FromSeconds(60), () => Log(nodes));

            using (var writer = Writer(seconds: 8))
            {
                Thread.Sleep(TimeSpan.FromSeconds(3));
                // Every commit the source shows now was acknowledged to its writer before the request is sent.
                var acknowledged = Ledger.Rows(Db);
                var requested = Stopwatch.StartNew();
                var first = Restore("live.db");
                Console.WriteLine($"cluster restore: {requested.ElapsedMilliseconds} ms with the writer committing, {acknowledged} rows acknowledged before it");
                Assert.True(Ledger.Rows(_dir.File("live.db")) >= acknowledged, $"restored {Ledger.Rows(_dir.File("live.db"))} rows, {acknowledged} were acknowledged");
                Assert.Null(Ledger.Problem(_dir.File("live.db")));
                Assert.True(writer.WaitForExit(60_000), "the writer did not finish");
                Assert.True(writer.ExitCode == 0, writer.StandardError.ReadToEnd());

                // The same TXID again, by -txid: the same database.
                Restore("by-txid.db", "-txid", first.Txid);
                Assert.Equal(Sqlite3.Dump(_dir.File("live.db")), Sqlite3.Dump(_dir.File("by-txid.db")));
            }

            var latest = Restore("latest.db");
            Assert.Equal(Sqlite3.Dump(Db), Sqlite3.Dump(_dir.File("latest.db")));
            Thread.Sleep(1100);
            Restore("by-time.db", "-timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            Assert.Equal(Sqlite3.Dump(Db), Sqlite3.Dump(_dir.File("by-time.db")));

            // The same as an MCP tool of node 1, into its restore folder.
            var mcp = McpClient.Call(_mcpPort, "/mcp", ("litestream_cluster_restore", new { database = Db, o = "copy.db" }));
            var called = mcp.GetProperty("results")[0];
            Assert.False(called.GetProperty("isError").GetBoolean(), called.ToString());
            Assert.Equal(latest.Txid, JsonDocument.Parse(called.GetProperty("text").GetString()!).RootElement.GetProperty("txid").GetString());
            Assert.Equal(Sqlite3.Dump(Db), Sqlite3.Dump(Path.Combine(_dir.File("mcp"), "copy.db")));

            // The plan, asked of node 2 by NODE:PATH; nothing is written.
            var plan = Cli("restore", "-cluster", Socket(1), "-dry-run", "-json", "-o", _dir.File("never.db"), $"127.0.0.1:{_ports[2]}:{Db}").EnsureSuccess("restore -cluster -dry-run");
            var planned = JsonDocument.Parse(plan.StandardOutput).RootElement;
            Assert.Equal(Address(2), planned.GetProperty("owner").GetString());
            Assert.Equal(latest.Txid, planned.GetProperty("max_txid").GetString());
            Assert.False(File.Exists(_dir.File("never.db")));

            // Errors: one line, exit 1, nothing written.
            AssertRefused("not in the cluster's catalog", "-o", _dir.File("missing.db"), "/no/such.db");
            AssertRefused("transaction 00000000ffffffff not available", "-o", _dir.File("missing.db"), "-txid", "00000000ffffffff", Db);
            nodes[2]!.Kill9();
            AssertRefused(Address(2), "-o", _dir.File("missing.db"), Db);
            Assert.False(File.Exists(_dir.File("missing.db")));
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

    private string Socket(int node) => _dir.File($"node{node}.sock");

    private string Address(int node) => $"akka.tcp://litestream@127.0.0.1:{_ports[node]}";

    // Nodes 1 and 2 have no database; node 3 replicates the one database to S3. The credentials are in every node's
    // environment (inherited from the test), never in the CLI's.
    private ReplicateProcess Started(int node)
    {
        var config = _dir.File($"node{node}.yml");
        var text = $"socket:\n  path: {Socket(node)}\n"
            + (node == 0 ? $"mcp-addr: \"127.0.0.1:{_mcpPort}\"\nmcp:\n  restore-dir: {_dir.File("mcp")}\n" : string.Empty)
            + $"cluster:\n  port: {_ports[node]}\n  seed-nodes: [\"127.0.0.1:{_ports[0]}\"]\n  split-brain:\n    stable-after: 3s\n";
        text += node == 2 ? $"dbs:\n  - path: {Db}\n    monitor-interval: 100ms\n    replica:\n      url: \"{_replicaUrl}\"\n" : string.Empty;
        File.WriteAllText(config, text);
        var process = ReplicateProcess.Start("-config", config);
        Eventually.True(() => process.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => process.Output);
        return process;
    }

    // restore -cluster through node 1, without any credential in the environment; the output says the TXID.
    private Restored Restore(string output, params string[] extra)
    {
        var result = Cli(["restore", "-cluster", Socket(0), "-json", "-o", _dir.File(output), .. extra, Db]).EnsureSuccess("restore -cluster " + output);
        Assert.DoesNotContain("S3RVER", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        var summary = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal(Address(2), summary.GetProperty("owner").GetString());
        return new Restored(summary.GetProperty("txid").GetString()!);
    }

    private void AssertRefused(string expected, params string[] args)
    {
        var result = Cli(["restore", "-cluster", Socket(0), .. args]);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(line.Contains(expected, StringComparison.Ordinal), line);
    }

    private static ProcessResult Cli(params string[] args) =>
        ProcessRunner.Run(LitestreamCli.Executable, args, environment: CredentialVariables.ToDictionary(v => v, _ => (string?)null));

    private Process Writer(int seconds) => PythonLedgerWriter.Start(Db, 100, seconds);

    private List<Row> Rows(int node)
    {
        var result = LitestreamCli.Run("cluster", "databases", "-json", "-socket", Socket(node)).EnsureSuccess($"cluster databases on node {node}");
        return [.. JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("databases").EnumerateArray().Select(r => new Row(
            r.GetProperty("database").GetString()!, r.GetProperty("state").GetString()!))];
    }

    private static string Log(ReplicateProcess?[] nodes) =>
        string.Join("\n", nodes.Select((n, i) => $"--- node {i + 1}:\n{n?.Output}"));

    private sealed record Row(string Database, string State);

    private sealed record Restored(string Txid);
}
