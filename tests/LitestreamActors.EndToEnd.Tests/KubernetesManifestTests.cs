using System.Net;
using k8s;
using k8s.Models;
using LitestreamActors.Node.Configuration;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// The shipped <c>k8s/</c> manifests, checked offline (no Kubernetes cluster runs here): each overlay renders with
/// <c>kubectl kustomize</c>; every object loads strictly with NuGet KubernetesClient (unknown fields and wrong types
/// fail) and validates with npm kubernetes-models (missing required fields fail); the ConfigMap's
/// <c>litestream.yml</c> loads with the downward-API variables set; the DaemonSet's probes are paths and a port a node
/// started with that config serves.
/// </summary>
public sealed class KubernetesManifestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("s3", "litestream-s3")]
    [InlineData("azure", "litestream-azure")]
    [InlineData("", "litestream-s3")]
    public void Each_overlay_renders_and_every_object_validates_strictly(string overlay, string secret)
    {
        var rendered = Render(overlay);
        var objects = KubernetesYaml.LoadAllFromString(rendered, strict: true);
        Assert.Equal(
            ["ConfigMap", "DaemonSet", "Namespace", "Role", "RoleBinding", "Service", "ServiceAccount"],
            objects.Cast<IKubernetesObject>().Select(o => o.Kind).Order(StringComparer.Ordinal));
        var models = Models(rendered);
        Assert.True(models.ExitCode == 0, models.StandardOutput + models.StandardError);
        Assert.Equal(7, models.StandardOutput.Split('\n').Count(l => l.StartsWith("valid ", StringComparison.Ordinal)));

        var daemonSet = objects.OfType<V1DaemonSet>().Single();
        var pod = daemonSet.Spec.Template.Spec;
        Assert.Equal(0, int.Parse(daemonSet.Spec.UpdateStrategy.RollingUpdate.MaxSurge.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(secret, Assert.Single(pod.Containers[0].EnvFrom).SecretRef.Name);
        Assert.True(pod.TerminationGracePeriodSeconds > 30, "the grace period must outlast the 30 s final sync");
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.True(pod.Containers[0].SecurityContext.ReadOnlyRootFilesystem);
        // With a read-only root, the single-file binary's extraction folder must be on a writable volume.
        var extractTo = pod.Containers[0].Env.Single(e => e.Name == "DOTNET_BUNDLE_EXTRACT_BASE_DIR").Value;
        var writable = pod.Volumes.Where(v => v.EmptyDir is not null).Select(v => pod.Containers[0].VolumeMounts.Single(m => m.Name == v.Name).MountPath);
        Assert.Contains(writable, path => extractTo.StartsWith(path + "/", StringComparison.Ordinal));
        Assert.Equal("litestream", pod.ServiceAccountName);
        Assert.DoesNotContain(objects.OfType<V1ConfigMap>().Single().Data["litestream.yml"].Split('\n'),
            line => line.Contains("key", StringComparison.OrdinalIgnoreCase) && !line.TrimStart().StartsWith('#'));
        Assert.Equal("privileged", objects.OfType<V1Namespace>().Single().Metadata.Labels["pod-security.kubernetes.io/enforce"]);
        var role = objects.OfType<V1Role>().Single();
        Assert.Equal(["pods"], Assert.Single(role.Rules).Resources);
        Assert.Equal(["get", "list", "watch"], role.Rules[0].Verbs);

        // Both checks fail where they should: an unknown field for the strict load, a missing required one for the models.
        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(rendered.Replace("terminationGracePeriodSeconds", "terminationGraceSeconds", StringComparison.Ordinal), strict: true));
        var broken = Models(rendered.Replace("      containers:\n      - args:", "      containers:\n      - argz:", StringComparison.Ordinal).Replace("        name: litestream\n        ports:", "        ports:", StringComparison.Ordinal));
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("invalid DaemonSet/litestream", broken.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shipped_config_loads_and_a_node_serves_the_probes_the_daemonset_names()
    {
        var objects = KubernetesYaml.LoadAllFromString(Render("s3"), strict: true);
        var config = objects.OfType<V1ConfigMap>().Single().Data["litestream.yml"];
        var container = objects.OfType<V1DaemonSet>().Single().Spec.Template.Spec.Containers[0];
        var downward = new Dictionary<string, string>
        {
            ["POD_IP"] = "127.0.0.1", ["NODE_NAME"] = "node-a", ["POD_NAMESPACE"] = "litestream",
            ["LITESTREAM_REPLICA_URL"] = "s3://my-bucket/litestream", ["LITESTREAM_API_TOKEN"] = "token-from-a-secret",
        };
        // Every variable the config uses is one the pod sets.
        Assert.All(downward.Keys, name => Assert.Contains(container.Env, e => e.Name == name));
        var settings = ConfigLoader.Parse(EnvironmentExpander.Expand(config, name => downward.GetValueOrDefault(name)), "litestream.yml");
        Assert.Empty(settings.Warnings);
        // Every database the applications create under the hostPath, by name pattern, each under the machine's prefix.
        var databases = Assert.Single(settings.Replication.Directories);
        Assert.True(databases.Watch);
        var hostPath = container.VolumeMounts.Single(m => m.Name == "host-data").MountPath;
        var appDb = Path.Combine(databases.Directory, "shop", "app.db");
        Assert.StartsWith(hostPath + "/", appDb, StringComparison.Ordinal);
        Assert.Equal("s3://my-bucket/litestream/node-a/shop/app.db", settings.FindDatabase(appDb)!.Replicas[0].Endpoint.Url);
        Assert.StartsWith(hostPath + "/node/", settings.FindDatabase(appDb)!.ResolvedMetaPath, StringComparison.Ordinal);
        Assert.Equal(ClusterDiscovery.Kubernetes, settings.Cluster!.Discovery!.Method);
        Assert.Equal("litestream", settings.Cluster.Discovery.PodNamespace);

        // The probes' port is the container's http port, the one the config's addr listens on.
        var http = container.Ports.Single(p => p.Name == "http").ContainerPort;
        Assert.Equal("http", container.LivenessProbe.HttpGet.Port.Value);
        Assert.Equal("http", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Contains($"\"${{POD_IP}}:{http}\"", config, StringComparison.Ordinal);
        Assert.Equal(4053, container.Ports.Single(p => p.Name == "remoting").ContainerPort);
        Assert.Equal(4053, settings.Cluster.Port);

        // At a pod's IP the API listens beyond the machine: without the token the DaemonSet takes from its Secret (the
        // environment, never the ConfigMap) the config is refused.
        var tokenless = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(
            EnvironmentExpander.Expand(config, name => name == "POD_IP" ? "10.1.2.3" : downward.GetValueOrDefault(name)), "litestream.yml"));
        Assert.Contains("api-token", tokenless.Message, StringComparison.Ordinal);

        // A node started with that config (its host paths under a temp folder, its ports free ones) serves them.
        var port = FreeTcpPort.Next();
        var local = config
            .Replace("/var/lib/litestream", _dir.File("host"), StringComparison.Ordinal)
            .Replace($":{http}\"", $":{port}\"", StringComparison.Ordinal)
            .Replace("port: 4053", $"port: {FreeTcpPort.Next()}", StringComparison.Ordinal);
        File.WriteAllText(_dir.File("litestream.yml"), local + $"socket:\n  path: {_dir.File("node.sock")}\n");
        // What the init container makes on the host.
        var db = appDb.Replace("/var/lib/litestream", _dir.File("host"), StringComparison.Ordinal);
        Directory.CreateDirectory(Path.GetDirectoryName(db)!);
        // The variables come from the node's environment, as in the pod (the replica a folder here).
        var replicas = _dir.File("replicas");
        using var node = ReplicateProcess.StartWith(
            new Dictionary<string, string>(downward) { ["LITESTREAM_REPLICA_URL"] = "file://" + replicas }, "-config", _dir.File("litestream.yml"));
        Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(container.LivenessProbe.HttpGet.Path)).StatusCode);
        // Ready with no database yet: the node waits for the applications to create theirs.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(container.ReadinessProbe.HttpGet.Path)).StatusCode);

        // An application creates its database: the node finds it, replicates it, and stays ready.
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(400), 20));
        Eventually.True(() => node.Output.Contains($"database {db} found in", StringComparison.Ordinal), TimeSpan.FromSeconds(30), () => node.Output);
        LitestreamCli.Run("sync", "-socket", _dir.File("node.sock"), "-wait", "-timeout", "60", db).EnsureSuccess("sync -wait\n" + node.Output);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(container.ReadinessProbe.HttpGet.Path)).StatusCode);
        Assert.True(node.Stop() == 0, node.Output);
        Assert.Equal(Sqlite3.Dump(db), LitestreamCli.RestoredDump($"file://{replicas}/node-a/shop/app.db", _dir.File("restored.db")));
    }

    public void Dispose() => _dir.Dispose();

    // An overlay, or k8s/ itself (the S3 overlay) for the empty name.
    private static string Render(string overlay) =>
        ProcessRunner.Run("kubectl", ["kustomize", overlay.Length == 0 ? Path.Combine(RepositoryPaths.Root, "k8s") : Path.Combine(RepositoryPaths.Root, "k8s", "overlays", overlay)])
            .EnsureSuccess("kubectl kustomize " + overlay).StandardOutput;

    // The script runs from .tools, where npm installed kubernetes-models and yaml.
    private static ProcessResult Models(string rendered)
    {
        var script = Path.Combine(RepositoryPaths.Tools, "validate-models.mjs");
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "k8s-validate", "validate-models.mjs"), script, overwrite: true);
        return ProcessRunner.Run("node", [script], standardInput: rendered);
    }
}
