using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Cluster formation through the Kubernetes API (k8s/README.md): three real node processes, each with the shipped
/// ConfigMap's <c>litestream.yml</c> and the environment its DaemonSet gives it (downward API, replica URL, token),
/// at pod IPs 127.0.0.11–13 with one cluster port, find each other through a stand-in API server and form one cluster;
/// a pod the API marks not Ready (127.0.0.14, nothing there) and pods of another app or namespace are never contact
/// points. Each node's database then replicates, and restores to its <c>.dump</c>.
/// </summary>
public sealed class KubernetesDiscoveryTests : IDisposable
{
    private static readonly string[] Pods = ["node-a", "node-b", "node-c"];
    private readonly TempDirectory _dir = new();
    private readonly int _clusterPort = FreeTcpPort.Next();
    private readonly int _httpPort = FreeTcpPort.Next();

    [Fact]
    public async Task Three_pods_form_one_cluster_through_the_api_server_and_a_not_ready_pod_is_no_contact_point()
    {
        await using var api = await KubernetesApiStandIn.StartAsync(_dir.File("ca.crt"));
        File.WriteAllText(_dir.File("token"), api.Token + "\n");
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "litestream" };
        for (var i = 0; i < Pods.Length; i++)
        {
            api.SetPod(new StandInPod(Pods[i], "litestream", Ip(i), _clusterPort, true, labels));
        }
        api.SetPod(new StandInPod("node-d", "litestream", Ip(3), _clusterPort, false, labels));
        api.SetPod(new StandInPod("other-app", "litestream", "127.0.0.15", _clusterPort, true, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "other" }));
        api.SetPod(new StandInPod("elsewhere", "other-namespace", "127.0.0.16", _clusterPort, true, labels));

        var config = ShippedConfig();
        var nodes = new ReplicateProcess?[Pods.Length];
        try
        {
            var started = Stopwatch.StartNew();
            for (var i = 0; i < Pods.Length; i++)
            {
                nodes[i] = Started(i, config, api.Port);
            }
            Eventually.True(() => Members(0) is { } members && members.Count == 3 && members.All(m => m.Status == "Up"), TimeSpan.FromSeconds(90), () => Log(nodes, api));
            Console.WriteLine($"kubernetes discovery: three pods formed one cluster {started.ElapsedMilliseconds} ms after the first started");
            Assert.Equal(
                Enumerable.Range(0, 3).Select(i => $"akka.tcp://litestream@{Ip(i)}:{_clusterPort}").ToHashSet(),
                Members(2).Select(m => m.Address).ToHashSet());
            // Seeds came from the three Ready pods of this app and namespace only.
            var joined = nodes.SelectMany(n => n!.Output.Split('\n')).Where(l => l.Contains("joining through", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(joined);
            Assert.All(joined, line => Assert.DoesNotMatch("127\\.0\\.0\\.1[456]", line));
            Assert.Contains(api.Requests, r => r.StartsWith("GET /api/v1/namespaces/litestream/pods?labelSelector=app.kubernetes.io", StringComparison.Ordinal));
            Assert.DoesNotContain(api.Requests, r => r.EndsWith("(not served)", StringComparison.Ordinal));

            for (var i = 0; i < Pods.Length; i++)
            {
                Sqlite3.Execute(Db(i), RandomRows.Inserts(new Random(300 + i), 10));
                LitestreamCli.Run("sync", "-socket", Socket(i), "-wait", "-timeout", "60", Db(i)).EnsureSuccess("sync -wait on " + Pods[i]);
            }
            for (var i = Pods.Length - 1; i >= 0; i--)
            {
                Assert.True(nodes[i]!.Stop() == 0, nodes[i]!.Output);
            }
            for (var i = 0; i < Pods.Length; i++)
            {
                Assert.Equal(Sqlite3.Dump(Db(i)), LitestreamCli.RestoredDump($"file://{_dir.File("replicas")}/{Pods[i]}/app.db", _dir.File($"restored-{i}.db")));
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

    public void Dispose() => _dir.Dispose();

    private static string Ip(int pod) => $"127.0.0.{11 + pod}";

    private string Host(int pod) => _dir.File($"host-{Pods[pod]}");

    private string Db(int pod) => Path.Combine(Host(pod), "databases", "app.db");

    private string Socket(int pod) => _dir.File($"{Pods[pod]}.sock");

    // The ConfigMap's litestream.yml as rendered from the s3 overlay.
    private static string ShippedConfig()
    {
        var rendered = ProcessRunner.Run("kubectl", ["kustomize", Path.Combine(RepositoryPaths.Root, "k8s", "overlays", "s3")]).EnsureSuccess("kubectl kustomize").StandardOutput;
        return KubernetesYaml.LoadAllFromString(rendered, strict: true).OfType<V1ConfigMap>().Single().Data["litestream.yml"];
    }

    // The shipped config as a pod runs it: the hostPath under a folder of its own, the ports varied, the API token and
    // CA at the test's paths, a control socket to ask it; the variables from its environment, as the DaemonSet sets them.
    private ReplicateProcess Started(int pod, string shipped, int apiPort)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Db(pod))!);
        Sqlite3.Execute(Db(pod), RandomRows.Schema + RandomRows.Inserts(new Random(200 + pod), 20));
        var config = shipped
            .Replace("/var/lib/litestream", Host(pod), StringComparison.Ordinal)
            .Replace(":9090\"", $":{_httpPort}\"", StringComparison.Ordinal)
            .Replace("port: 4053", $"port: {_clusterPort}", StringComparison.Ordinal)
            .Replace("    pod-namespace: \"${POD_NAMESPACE}\"\n", $"    pod-namespace: \"${{POD_NAMESPACE}}\"\n    api-token-path: {_dir.File("token")}\n    api-ca-path: {_dir.File("ca.crt")}\n", StringComparison.Ordinal)
            + $"socket:\n  path: {Socket(pod)}\n";
        Assert.Contains(_dir.File("token"), config, StringComparison.Ordinal);
        var path = _dir.File($"{Pods[pod]}.yml");
        File.WriteAllText(path, config);
        var process = ReplicateProcess.StartWith(new Dictionary<string, string>
        {
            ["POD_IP"] = Ip(pod),
            ["NODE_NAME"] = Pods[pod],
            ["POD_NAMESPACE"] = "litestream",
            ["LITESTREAM_REPLICA_URL"] = "file://" + _dir.File("replicas"),
            ["LITESTREAM_API_TOKEN"] = "api-token-of-the-test",
            ["KUBERNETES_SERVICE_HOST"] = "127.0.0.1",
            ["KUBERNETES_SERVICE_PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, "-config", path);
        Eventually.True(() => process.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => process.Output);
        return process;
    }

    private List<Member> Members(int pod)
    {
        var result = LitestreamCli.Run("cluster", "show", "-json", "-socket", Socket(pod));
        return result.ExitCode != 0 ? [] : [.. JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("members").EnumerateArray()
            .Select(m => new Member(m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!))];
    }

    private static string Log(ReplicateProcess?[] nodes, KubernetesApiStandIn api) =>
        string.Join("\n", nodes.Select((n, i) => $"--- {Pods[i]}:\n{n?.Output}")) + "\n--- api:\n" + string.Join("\n", api.Requests.Take(20));

    private sealed record Member(string Address, string Status);
}
