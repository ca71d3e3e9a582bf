using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Akka.Actor;
using Akka.Discovery;
using Akka.Discovery.KubernetesApi;
using Akka.Event;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// The <c>kubernetes</c> discovery method (docs/cluster.md, "Discovery"): the pods matching the selector in the
/// namespace, through the API server, with Akka.Discovery.KubernetesApi's settings (<c>akka.discovery.kubernetes-api</c>)
/// and its extension. Ours instead of its lookup for two reasons: a pod that is not Ready is no contact point (its
/// lookup keeps every Running pod), and the server is checked against <c>api-ca-path</c> as a CA (its lookup passes
/// that file as a client certificate and trusts only the system's roots outside a pod's default config). The token is
/// read again at each lookup, as projected service-account tokens rotate; the answer is read by <see cref="KubernetesPodList"/>.
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
        using var ca = X509CertificateLoader.LoadCertificateFromFile(_settings.ApiCaPath);
        using var client = new HttpClient(Handler(ca));
        using var timeout = new CancellationTokenSource(resolveTimeout);
        var uri = $"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}/api/v1/namespaces/{Uri.EscapeDataString(space)}/pods?labelSelector={Uri.EscapeDataString(selector)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(_settings.ApiTokenPath)).Trim());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the API server answered {(int)response.StatusCode} {response.ReasonPhrase} to the pod list in {space} for {selector}");
        }
        using var pods = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
        var (ready, count) = KubernetesPodList.ContactPoints(pods.RootElement);
        var targets = ready.Select(ip => new ResolvedTarget(ip.ToString(), null, ip)).ToList();
        _log.Debug("kubernetes discovery: {0} of {1} pods matching {2} in {3} are ready", targets.Count, count, selector, space);
        return new Resolved(lookup.ServiceName, targets);
    }

    // The API server's certificate must chain to the configured CA, and name the host it was reached at.
    private static SocketsHttpHandler Handler(X509Certificate2 ca)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(ca);
        return new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
    }

    private string Namespace() =>
        _settings.PodNamespace is { Length: > 0 } configured && configured != "<pod-namespace>" ? configured
        : File.Exists(_settings.PodNamespacePath) ? File.ReadAllText(_settings.PodNamespacePath).Trim()
        : "default";
}
