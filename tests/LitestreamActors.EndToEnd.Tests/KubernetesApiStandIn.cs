using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// A stand-in for the Kubernetes API server (none can run here; the README says so): HTTPS on loopback with a
/// self-signed certificate written as the CA file, a bearer token, and exactly the call pod discovery makes — the pod
/// list of one namespace filtered by one <c>key=value</c> label selector — answered from the pods the test declares.
/// Every request is recorded.
/// </summary>
public sealed class KubernetesApiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, StandInPod> _pods = new(StringComparer.Ordinal);

    private KubernetesApiStandIn(WebApplication app, string token)
    {
        _app = app;
        Token = token;
    }

    public string Token { get; }

    public int Port => new Uri(_app.Urls.First()).Port;

    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<KubernetesApiStandIn> StartAsync(string caPath)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=kubernetes", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        await File.WriteAllTextAsync(caPath, created.ExportCertificatePem());
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var standIn = new KubernetesApiStandIn(app, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        app.MapGet("/api/v1/namespaces/{space}/pods", (string space, string? labelSelector, HttpContext http) => standIn.ListPods(space, labelSelector, http));
        app.MapFallback((HttpContext http) =>
        {
            standIn.Requests.Enqueue($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString} (not served)");
            return Results.NotFound();
        });
        await app.StartAsync();
        return standIn;
    }

    public void SetPod(StandInPod pod) => _pods[pod.Name] = pod;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult ListPods(string space, string? labelSelector, HttpContext http)
    {
        Requests.Enqueue($"GET {http.Request.Path}{http.Request.QueryString}");
        if (http.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            return Results.Json(new { kind = "Status", apiVersion = "v1", status = "Failure", reason = "Unauthorized", code = 401 }, statusCode: 401);
        }
        var (key, value) = labelSelector?.Split('=', 2) is [var k, var v] ? (k, v) : (string.Empty, string.Empty);
        var items = _pods.Values
            .Where(p => p.Namespace == space && p.Labels.TryGetValue(key, out var label) && label == value)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(Json);
        return Results.Text(JsonSerializer.Serialize(new { kind = "PodList", apiVersion = "v1", metadata = new { resourceVersion = "1" }, items }), "application/json");
    }

    private static object Json(StandInPod pod) => new
    {
        metadata = new { name = pod.Name, @namespace = pod.Namespace, labels = pod.Labels, uid = pod.Name },
        spec = new { containers = new[] { new { name = "litestream", ports = new[] { new { name = "remoting", containerPort = pod.Port } } } } },
        status = new
        {
            phase = "Running",
            podIP = pod.Ip,
            conditions = new[] { new { type = "Ready", status = pod.Ready ? "True" : "False" } },
            containerStatuses = new[] { new { name = "litestream", ready = pod.Ready, restartCount = 0, image = "litestream-actors", imageID = string.Empty, state = new { running = new { } } } },
        },
    };
}

/// <summary>A pod as the stand-in lists it.</summary>
public sealed record StandInPod(string Name, string Namespace, string Ip, int Port, bool Ready, IReadOnlyDictionary<string, string> Labels);
