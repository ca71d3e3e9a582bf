using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The MCP server on <c>mcp-addr</c>, driven by the real MCP client (npm <c>@modelcontextprotocol/sdk</c>, Streamable
/// HTTP): every tool listed and called with JSON results; restores land only under <c>mcp.restore-dir</c> and match the
/// source's <c>.dump</c>; a path escaping it is refused. A taken port is one error line and replication goes on.
/// </summary>
public sealed class McpTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_real_mcp_client_lists_and_calls_every_tool()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(95), 20));
        var replica = _dir.File("replica");
        var restores = _dir.File("restores");
        var port = FreeTcpPort.Next();
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"mcp-addr: \"127.0.0.1:{port}\"\nmcp:\n  restore-dir: {restores}\n"
            + $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {replica}\n");
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1 && node.Output.Contains("mcp-addr listening", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), () => node.Output);
        LitestreamCli.Run("sync", "-config", config, "-wait", db).EnsureSuccess("sync");

        var answer = McpClient.Call(port, "/mcp",
            ("litestream_version", new { }),
            ("litestream_databases", new { }),
            ("litestream_status", new { path = db }),
            ("litestream_info", new { }),
            ("litestream_ltx", new { path = db }),
            ("litestream_verify", new { path = "file://" + replica }),
            ("litestream_restore", new { path = db, o = "copy.db" }),
            ("litestream_restore", new { path = db, o = "../escaped.db" }),
            ("litestream_status", new { path = _dir.File("unknown.db") }),
            ("litestream_cluster_members", new { }));

        Assert.Equal("Litestream MCP Server", answer.GetProperty("server").GetProperty("name").GetString());
        Assert.Equal(
            ["litestream_cluster_databases", "litestream_cluster_members", "litestream_cluster_restore", "litestream_databases", "litestream_info", "litestream_ltx", "litestream_restore", "litestream_status", "litestream_verify", "litestream_version"],
            answer.GetProperty("tools").EnumerateArray().Select(t => t.GetString()!));
        var results = answer.GetProperty("results").EnumerateArray().ToList();
        Assert.All(results.Take(7), r => Assert.False(r.GetProperty("isError").GetBoolean(), r.ToString()));
        JsonElement Result(int i) => JsonDocument.Parse(results[i].GetProperty("text").GetString()!).RootElement;
        Assert.StartsWith("v", Result(0).GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.Equal(db, Result(1)[0].GetProperty("path").GetString());
        Assert.Equal("replicating", Result(2).GetProperty("status").GetString());
        Assert.Equal(db, Result(3).GetProperty("databases")[0].GetProperty("path").GetString());
        Assert.NotEqual(Environment.ProcessId, Result(3).GetProperty("pid").GetInt32());
        Assert.Equal("0000000000000001", Result(4)[0].GetProperty("min_txid").GetString());
        Assert.True(Result(5).GetProperty("ok").GetBoolean(), Result(5).ToString());
        Assert.Equal(Path.Combine(restores, "copy.db"), Result(6).GetProperty("path").GetString());
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(Path.Combine(restores, "copy.db")));
        Assert.True(results[7].GetProperty("isError").GetBoolean());
        // Upstream serves MCP at the root: so do we.
        var root = McpClient.Call(port, "/", ("litestream_version", new { }));
        Assert.False(root.GetProperty("results")[0].GetProperty("isError").GetBoolean());
        Assert.Contains($"the output must be a file under {restores}", results[7].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("escaped.db")));
        Assert.True(results[8].GetProperty("isError").GetBoolean());
        Assert.Contains("database not found", results[8].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(results[9].GetProperty("isError").GetBoolean());
        Assert.Contains("not in a cluster", results[9].GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, node.Stop());
    }

    [Fact]
    public void A_taken_mcp_port_is_one_clear_error_and_replication_goes_on()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(96), 5));
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"mcp-addr: \"127.0.0.1:{port}\"\ndbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {replica}\n");
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => node.Output.Contains("cannot listen on mcp-addr", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => node.Output);
        Assert.Contains($"cannot listen on mcp-addr 127.0.0.1:{port}: the address is already in use; replication goes on without it", node.Output, StringComparison.Ordinal);
        Sqlite3.Execute(db, RandomRows.Inserts(new Random(97), 5));
        LitestreamCli.Run("sync", "-config", config, "-wait", db).EnsureSuccess("sync");
        Assert.Equal(0, node.Stop());
        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-o", restored, "file://" + replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
    }

    public void Dispose() => _dir.Dispose();
}
