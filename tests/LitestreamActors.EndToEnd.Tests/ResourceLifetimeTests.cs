using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Replica clients are owned and disposed: a node whose databases (replicating to NATS, SFTP and S3 on their real
/// servers) are stopped and started 50 times through the control API holds as many file descriptors and TCP
/// connections as after the first start, and every replica then restores to its database's exact <c>.dump</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ResourceLifetimeTests(ITestOutputHelper output) : IDisposable
{
    private const int Cycles = 50;
    private readonly TempDirectory _dir = new();
    private readonly Random _random = new(15);

    [Fact]
    public async Task Fifty_stops_and_starts_leave_no_descriptor_or_connection_behind()
    {
        var replicas = new Dictionary<string, string>
        {
            [_dir.File("nats.db")] = TestServers.NatsUrl(),
            [_dir.File("sftp.db")] = TestServers.SftpUrl(),
            [_dir.File("s3.db")] = TestServers.S3Url("app"),
        };
        var port = FreeTcpPort.Next();
        var yaml = $"addr: \"127.0.0.1:{port}\"\ndbs:\n";
        foreach (var (db, url) in replicas)
        {
            Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(_random, 5));
            yaml += $"  - path: {db}\n    replica:\n      url: \"{url}\"\n";
        }
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, yaml);
        using var node = ReplicateProcess.Start("-config", config);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        foreach (var db in replicas.Keys)
        {
            await SyncAndWait(http, node, db);
        }
        (int Fds, int Tcp)? first = null;
        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            foreach (var db in replicas.Keys)
            {
                await Post(http, node, "stop", db, "stopped");
            }
            foreach (var db in replicas.Keys)
            {
                await Post(http, node, "start", db, "started");
            }
            foreach (var db in replicas.Keys)
            {
                Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(_random, 2, 100) + "COMMIT;\n");
                await SyncAndWait(http, node, db);
            }
            if (cycle == 1)
            {
                // After the first start: the code paths and the control journal a stop and start load are loaded.
                await Task.Delay(TimeSpan.FromSeconds(1));
                first = Resources(node.Id);
            }
        }

        // Clients are closed as their actors stop, asynchronously: the counts settle within moments.
        var start = first ?? throw new InvalidOperationException("no cycle ran");
        var last = Resources(node.Id);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((Math.Abs(last.Fds - start.Fds) > 2 || Math.Abs(last.Tcp - start.Tcp) > 2) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            last = Resources(node.Id);
        }
        output.WriteLine($"descriptors {start.Fds} -> {last.Fds}, TCP connections {start.Tcp} -> {last.Tcp} over {Cycles} stops and starts");
        Assert.True(Math.Abs(last.Fds - start.Fds) <= 2 && Math.Abs(last.Tcp - start.Tcp) <= 2,
            $"after the first start {start.Fds} descriptors and {start.Tcp} TCP connections; after {Cycles} stops and starts {last.Fds} and {last.Tcp}\n{node.Output}");
        Assert.Equal(0, node.Stop());
        foreach (var (db, url) in replicas)
        {
            Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump(url, _dir.File($"restored-{Guid.NewGuid():N}.db")));
        }
    }

    public void Dispose() => _dir.Dispose();

    private static async Task Post(HttpClient http, ReplicateProcess node, string action, string db, string expected)
    {
        var response = await http.PostAsJsonAsync($"/api/v1/{action}", new { path = db });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() == expected,
            $"{action} {db}: {(int)response.StatusCode} {body}\n{node.Output}");
    }

    // The node's endpoints come up with it; until then the request is retried.
    private static async Task SyncAndWait(HttpClient http, ReplicateProcess node, string db)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                var response = await http.PostAsJsonAsync("/api/v1/sync", new { path = db, wait = true, timeout = 30 });
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode)
                {
                    var answer = JsonDocument.Parse(body).RootElement;
                    Assert.Equal(answer.GetProperty("txid").GetString(), answer.GetProperty("replicated_txid").GetString());
                    return;
                }
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail($"sync {db}: {(int)response.StatusCode} {body}\n{node.Output}");
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            await Task.Delay(200);
        }
    }

    // Open descriptors, and those of them that are TCP sockets (their inodes listed in the process's net/tcp tables).
    // Assemblies are not counted: the runtime keeps each one it loads open for good, and tiered compilation loads some
    // only when it recompiles a hot method, after the first cycle.
    private static (int Fds, int Tcp) Resources(int pid)
    {
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        var fds = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.EndsWith(".dll", StringComparison.Ordinal))
            {
                continue;
            }
            fds++;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                sockets.Add(target["socket:[".Length..^1]);
            }
        }
        var tcp = new[] { "tcp", "tcp6" }
            .SelectMany(table => File.ReadLines($"/proc/{pid}/net/{table}").Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[9])
            .Count(sockets.Contains);
        return (fds, tcp);
    }
}
