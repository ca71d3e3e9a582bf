using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The running node's control API through the real CLI (socket) and HTTP (addr): stop, commits while stopped, start,
/// sync -wait, register and unregister at run time, each replica then restoring to the source's exact <c>.dump</c>;
/// readiness turning unhealthy within two monitor intervals when a database's folder goes away and back when it
/// returns; off loopback, the bearer token; the socket's permissions.
/// </summary>
public sealed class ControlApiTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Random _random = new(80);

    [Fact]
    public void Stop_start_sync_register_and_unregister_act_on_the_running_node()
    {
        var db = NewDatabase("app.db");
        var replica = _dir.File("replica");
        var config = Config($"dbs:\n  - path: {db}\n    monitor-interval: 200ms\n    replica:\n      path: {replica}\n");
        using var node = ReplicateProcess.Start("-config", config);
        var info = Json(Cli(node, "info", "-config", config, "-json"));
        Assert.Equal(1, info.GetProperty("database_count").GetInt32());

        Assert.Equal("stopped", Json(Cli(node, "stop", "-config", config, "-json", db)).GetProperty("status").GetString());
        Assert.Contains("stopped", Cli(node, "status", "-config", config, db), StringComparison.Ordinal);
        Assert.Equal("already_stopped", Json(Cli(node, "stop", "-config", config, "-json", db)).GetProperty("status").GetString());
        Commit(db);
        var refused = LitestreamCli.Run("sync", "-config", config, db);
        Assert.Equal((1, $"Error: database is stopped: {db}\n"), (refused.ExitCode, refused.StandardError));
        Assert.Equal("started", Json(Cli(node, "start", "-config", config, "-json", db)).GetProperty("status").GetString());
        Commit(db);
        var synced = Json(Cli(node, "sync", "-config", config, "-wait", "-json", db));
        // The monitor may have captured the commit just before the request: then there was nothing new to capture.
        Assert.Contains(synced.GetProperty("status").GetString(), new[] { "synced", "no_change" });
        Assert.Equal(synced.GetProperty("txid").GetString(), synced.GetProperty("replicated_txid").GetString());
        Assert.Equal(Sqlite3.Dump(db), Restore("file://" + replica));

        var other = NewDatabase("other.db");
        var otherReplica = _dir.File("other-replica");
        Assert.Equal("registered", Json(Cli(node, "register", "-config", config, "-json", other, "file://" + otherReplica)).GetProperty("status").GetString());
        Commit(other);
        Cli(node, "sync", "-config", config, "-wait", other);
        Assert.Equal(Sqlite3.Dump(other), Restore("file://" + otherReplica));
        var list = Json(Cli(node, "list", "-config", config, "-json")).GetProperty("databases").EnumerateArray().Select(d => d.GetProperty("path").GetString()).ToList();
        Assert.Equal([db, other], list);
        var bad = LitestreamCli.Run("register", "-config", config, _dir.File("third.db"), "ftp://host/x");
        Assert.Equal((1, "Error: replica type \"ftp\" is not supported\n"), (bad.ExitCode, bad.StandardError));
        Assert.Equal("unregistered", Json(Cli(node, "unregister", "-config", config, "-json", other)).GetProperty("status").GetString());
        var unknown = LitestreamCli.Run("stop", "-config", config, other);
        Assert.Equal((1, $"Error: database not found: {other}\n"), (unknown.ExitCode, unknown.StandardError));
        Assert.Equal(0, node.Stop());
    }

    [Fact]
    public void Registrations_and_stopped_databases_survive_a_restart()
    {
        var db = NewDatabase("app.db");
        var other = NewDatabase("other.db");
        var config = Config($"data-dir: {_dir.File("data")}\ndbs:\n  - path: {db}\n    monitor-interval: 200ms\n    replica:\n      path: {_dir.File("replica")}\n");
        using (var node = ReplicateProcess.Start("-config", config))
        {
            Cli(node, "register", "-config", config, other, "file://" + _dir.File("other-replica"));
            Cli(node, "stop", "-config", config, db);
            Assert.Equal(0, node.Stop());
        }
        Assert.True(File.Exists(_dir.File("data/control.db")));
        Commit(other);
        using (var node = ReplicateProcess.Start("-config", config))
        {
            var states = Json(Cli(node, "list", "-config", config, "-json")).GetProperty("databases").EnumerateArray()
                .ToDictionary(d => d.GetProperty("path").GetString()!, d => d.GetProperty("status").GetString());
            Assert.Equal("stopped", states[db]);
            Assert.NotEqual("stopped", states[other]);
            Cli(node, "sync", "-config", config, "-wait", other);
            Assert.Equal(Sqlite3.Dump(other), Restore("file://" + _dir.File("other-replica")));
            Cli(node, "start", "-config", config, db);
            Cli(node, "unregister", "-config", config, other);
            Assert.Equal(0, node.Stop());
        }
        using (var node = ReplicateProcess.Start("-config", config))
        {
            var states = Json(Cli(node, "list", "-config", config, "-json")).GetProperty("databases").EnumerateArray()
                .ToDictionary(d => d.GetProperty("path").GetString()!, d => d.GetProperty("status").GetString());
            Assert.Equal([db], states.Keys);
            Assert.NotEqual("stopped", states[db]);
            Assert.Equal(0, node.Stop());
        }
    }

    [Fact]
    public async Task Readiness_turns_unhealthy_within_two_intervals_when_a_database_folder_goes_away()
    {
        var folder = _dir.File("data");
        Directory.CreateDirectory(folder);
        var db = Path.Combine(folder, "app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(_random, 5));
        var port = FreeTcpPort.Next();
        var config = Config($"addr: \"127.0.0.1:{port}\"\ndbs:\n  - path: {db}\n    monitor-interval: 500ms\n    replica:\n      path: {_dir.File("replica")}\n");
        using var node = ReplicateProcess.Start("-config", config);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await EventuallyStatus(http, "/health/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(30), node);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        // Idle past the quiet stamp's settling (3 s) and the two intervals readiness allows: its ticks send no message,
        // and readiness still sees the capture loop alive.
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        // Root reads through chmod 000, so the folder is moved away: the capture cannot read the database either way.
        Directory.Move(folder, folder + "-gone");
        var gone = System.Diagnostics.Stopwatch.StartNew();
        await EventuallyStatus(http, "/health/ready", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10), node);
        Assert.True(gone.Elapsed < TimeSpan.FromSeconds(2 * 0.5 + 1 + 1), $"unhealthy only after {gone.Elapsed.TotalMilliseconds:0} ms");
        var body = await http.GetStringAsync("/api/v1/status");
        Assert.Contains(db, body, StringComparison.Ordinal);

        Directory.Move(folder + "-gone", folder);
        await EventuallyStatus(http, "/health/ready", HttpStatusCode.OK, TimeSpan.FromSeconds(10), node);
        Assert.Equal(0, node.Stop());
    }

    [Fact]
    public async Task Off_loopback_every_call_but_health_needs_the_token_and_start_refuses_without_one()
    {
        var db = NewDatabase("app.db");
        var port = FreeTcpPort.Next();
        var yaml = $"addr: \"0.0.0.0:{port}\"\ndbs:\n  - path: {db}\n    replica:\n      path: {_dir.File("replica")}\n";
        var refused = LitestreamCli.Run("replicate", "-config", Config(yaml));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"addr \"0.0.0.0:{port}\" listens beyond this machine: set api-token (or LITESTREAM_API_TOKEN)", refused.StandardError, StringComparison.Ordinal);

        using var node = ReplicateProcess.Start("-config", Config("api-token: t0ken-s3cret\n" + yaml));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await EventuallyStatus(http, "/health/live", HttpStatusCode.OK, TimeSpan.FromSeconds(30), node);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/list")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/v1/list") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/v1/list") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "t0ken-s3cret") } };
        var answer = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains(db, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, node.Stop());
        Assert.DoesNotContain("t0ken-s3cret", node.Output, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_control_socket_has_its_permissions_a_stale_one_is_replaced_and_its_server_starts_with_the_first_client()
    {
        var db = NewDatabase("app.db");
        var socket = Path.Combine(_dir.Path, "ctl.sock");
        File.WriteAllBytes(socket, []);
        var config = Config($"socket:\n  path: {socket}\n  permissions: \"0640\"\ndbs:\n  - path: {db}\n    replica:\n      path: {_dir.File("replica")}\n");
        using var node = ReplicateProcess.Start("-config", config);
        Eventually.True(() => node.Output.Contains("wrote full L0 file", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        // It listens once the database's first sync is done (docs/performance.md, "Start-up").
        Eventually.True(() => node.Output.Contains("socket listening on unix:" + socket, StringComparison.Ordinal), TimeSpan.FromSeconds(10), () => node.Output);
        // Nobody has asked yet: the HTTP server is not loaded (docs/performance.md, "Memory").
        Assert.False(HttpServerLoaded(node), "Kestrel was loaded before any client connected");
        Cli(node, "list", "-socket", socket);
        Assert.True(HttpServerLoaded(node), "the socket answered without its HTTP server?");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(socket));
        Assert.Equal(0, node.Stop());
        Assert.False(File.Exists(socket));
    }

    public void Dispose() => _dir.Dispose();

    private static bool HttpServerLoaded(ReplicateProcess node) =>
        File.ReadAllText($"/proc/{node.Id}/maps").Contains("Microsoft.AspNetCore.Server.Kestrel.Core.dll", StringComparison.Ordinal);

    private string NewDatabase(string name)
    {
        var db = _dir.File(name);
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(_random, 10));
        return db;
    }

    private string Config(string yaml)
    {
        var path = _dir.File($"litestream-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private void Commit(string db) => Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(_random, 5, 200) + "COMMIT;\n");

    // The node answers once its endpoints are up; until then the CLI says no node answers.
    private static string Cli(ReplicateProcess node, params string[] args)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var result = LitestreamCli.Run(args);
        while (result.ExitCode != 0 && result.StandardError.Contains("no litestream node", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(200);
            result = LitestreamCli.Run(args);
        }
        return result.EnsureSuccess(string.Join(' ', args) + "\n" + node.Output).StandardOutput;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private string Restore(string url)
    {
        var output = _dir.File($"restored-{Guid.NewGuid():N}.db");
        LitestreamCli.Run("restore", "-o", output, url).EnsureSuccess("restore " + url);
        return Sqlite3.Dump(output);
    }

    private static async Task EventuallyStatus(HttpClient http, string path, HttpStatusCode expected, TimeSpan timeout, ReplicateProcess node)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await http.GetAsync(path);
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == expected)
                {
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{path} never answered {(int)expected}; last: {last}\n{node.Output}");
    }
}
