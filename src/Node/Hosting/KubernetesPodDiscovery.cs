using System.Net;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Discovery;
using Akka.Discovery.KubernetesApi;
using Akka.Event;
using k8s;
using k8s.Models;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// The <c>kubernetes</c> discovery method (docs/cluster.md, "Discovery"): the pods matching the selector in the
/// namespace, through the API server, with Akka.Discovery.KubernetesApi's settings (<c>akka.discovery.kubernetes-api</c>)
/// and its extension. Ours instead of its lookup for two reasons: a pod that is not Ready is no contact point (its
/// lookup keeps every Running pod), and the server is checked against <c>api-ca-path</c> as a CA (its lookup passes
/// that file as a client certificate and trusts only the system's roots outside a pod's default config). The token is
/// read again at each lookup, as projected service-account tokens rotate.
/// </summary>
public sealed class KubernetesPodDiscovery : ServiceDiscovery
{
    private readonly KubernetesDiscoverySettings _settings;
    private readonly ILoggingAdapter _log;

    public KubernetesPodDiscovery(ExtendedActorSystem system)
        : this(system, system.Settings.Config.GetConfig("akka.discovery.kubernetes-api"))
    {
    }

    public KubernetesPodDiscovery(ExtendedActorSystem system, Akka.Configuration.Config config)
    {
        _settings = KubernetesDiscoverySettings.Create(config);
        _log = Akka.Event.Logging.GetLogger(system, this);
    }

    public override async Task<Resolved> Lookup(Lookup lookup, TimeSpan resolveTimeout)
    {
        var host = Environment.GetEnvironmentVariable(_settings.ApiServiceHostEnvName);
        var port = Environment.GetEnvironmentVariable(_settings.ApiServicePortEnvName);
        if (string.IsNullOrWhiteSpace(host) || string.IsNullOrWhiteSpace(port))
        {
            throw new InvalidOperationException($"${_settings.ApiServiceHostEnvName} and ${_settings.ApiServicePortEnvName} name no API server: not in a Kubernetes pod?");
        }
        var space = Namespace();
        var selector = _settings.PodLabelSelector(lookup.ServiceName);
        using var client = new Kubernetes(new KubernetesClientConfiguration
        {
            Host = $"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}",
            AccessToken = (await File.ReadAllTextAsync(_settings.ApiTokenPath)).Trim(),
            SslCaCerts = [X509CertificateLoader.LoadCertificateFromFile(_settings.ApiCaPath)],
        });
        using var timeout = new CancellationTokenSource(resolveTimeout);
        var pods = await client.CoreV1.ListNamespacedPodAsync(space, labelSelector: selector, cancellationToken: timeout.Token);
        var targets = pods.Items.Where(IsContactPoint)
            .Select(p => new ResolvedTarget(p.Status!.PodIP, null, IPAddress.Parse(p.Status.PodIP)))
            .ToList();
        _log.Debug("kubernetes discovery: {0} of {1} pods matching {2} in {3} are ready", targets.Count, pods.Items.Count, selector, space);
        return new Resolved(lookup.ServiceName, targets);
    }

    // Running, not being deleted, with an IP, and Ready.
    private static bool IsContactPoint(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null
        && pod.Status is { } status
        && string.Equals(status.Phase, "Running", StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrWhiteSpace(status.PodIP)
        && status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private string Namespace() =>
        _settings.PodNamespace is { Length: > 0 } configured && configured != "<pod-namespace>" ? configured
        : File.Exists(_settings.PodNamespacePath) ? File.ReadAllText(_settings.PodNamespacePath).Trim()
        : "default";
}
