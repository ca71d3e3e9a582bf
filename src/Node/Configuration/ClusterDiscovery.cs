namespace LitestreamActors.Node.Configuration;

/// <summary>
/// <c>cluster.discovery</c>: how a node finds the others through Akka.Discovery. <c>config</c> lists their remoting
/// endpoints; <c>kubernetes</c> asks the API server for the pods matching a label selector (each at the cluster port).
/// </summary>
public sealed record ClusterDiscovery(string Method, string ServiceName)
{
    public const string Config = "config";
    public const string Kubernetes = "kubernetes";

    public static IReadOnlySet<string> Methods { get; } = new HashSet<string>(StringComparer.Ordinal) { Config, Kubernetes };

    /// <summary>The nodes' remoting endpoints (<c>host:port</c>) for <c>config</c>.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>For <c>kubernetes</c>: the selector, <c>{0}</c> replaced by the service name.</summary>
    public string PodLabelSelector { get; init; } = "app={0}";

    /// <summary>For <c>kubernetes</c>: the pods' namespace; null reads the pod's own.</summary>
    public string? PodNamespace { get; init; }

    /// <summary>For <c>kubernetes</c>: the API token and the API server's CA; null: the pod's service account files.</summary>
    public string? ApiTokenPath { get; init; }

    public string? ApiCaPath { get; init; }
}
