using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using LitestreamActors.Node.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Control;

/// <summary>
/// One listener of the node (the HTTP address, the control socket or the MCP address) as its own small Kestrel app, so
/// one that cannot bind leaves the others and replication running. Off loopback every request but health needs the
/// bearer token.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly Func<ValueTask> _stop;
    private readonly string? _socketPath;

    private HttpEndpoint(Func<ValueTask> stop, string description, string? socketPath)
    {
        _stop = stop;
        Description = description;
        _socketPath = socketPath;
    }

    /// <summary>Where it listens, for the log: <c>http://127.0.0.1:9090</c> or <c>unix:/path</c>.</summary>
    public string Description { get; }

    public static async Task<HttpEndpoint> StartAsync(
        ListenAddress address, string? token, NodeLog nodeLog, Action<WebApplicationBuilder> services, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var app = Build(nodeLog, kestrel => kestrel.Listen(address.EndPoint), services);
        if (!address.IsLoopback)
        {
            var expected = Encoding.UTF8.GetBytes("Bearer " + (token ?? throw new InvalidOperationException("a token is required off loopback")));
            app.Use(async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/health")
                    || CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()), expected))
                {
                    await next(context);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await context.Response.WriteAsJsonAsync(new ErrorAnswer("missing or wrong bearer token"), ControlJson.Default.ErrorAnswer, cancellationToken: cancellationToken);
            });
        }
        map(app);
        await app.StartAsync(cancellationToken);
        return Running(app, "http://" + address);
    }

    /// <summary>
    /// Listens on the control socket now; the HTTP server behind it, serving <paramref name="api"/> at upstream's paths
    /// and under <c>/api/v1</c>, starts with the first client.
    /// </summary>
    /// <param name="failed">Told when that server cannot start.</param>
    public static HttpEndpoint ListenOnSocket(string path, UnixFileMode permissions, NodeLog nodeLog, ControlApi api, Action<Exception> failed)
    {
        var bound = ControlSocket.PrepareBind(path);
        var server = DeferredSocketServer.Listen(bound, descriptor => StartOnSocketAsync(descriptor, nodeLog, api), failed);
        ControlSocket.Publish(bound, path, permissions);
        return new HttpEndpoint(server.DisposeAsync, "unix:" + path, path);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop();
        if (_socketPath is not null)
        {
            File.Delete(_socketPath);
        }
    }

    private static async Task<IAsyncDisposable> StartOnSocketAsync(ulong descriptor, NodeLog nodeLog, ControlApi api)
    {
        var app = Build(nodeLog, kestrel => kestrel.ListenHandle(descriptor), _ => { });
        api.Map(app);
        api.Map(app.MapGroup("/api/v1"));
        await app.StartAsync(CancellationToken.None);
        return Running(app, "unix socket");
    }

    private static HttpEndpoint Running(WebApplication app, string description) => new(async () =>
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }, description, null);

    private static WebApplication Build(NodeLog nodeLog, Action<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions> listen, Action<WebApplicationBuilder> services)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        NodeLogging.Configure(builder.Logging, nodeLog);
        builder.WebHost.ConfigureKestrel(listen);
        builder.WebHost.UseUrls();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.TypeInfoResolver = ControlJson.Default;
        });
        services(builder);
        return builder.Build();
    }

    /// <summary>True when the exception says the port is taken, so the caller can name it in one line.</summary>
    public static bool IsAddressInUse(Exception e) =>
        e is IOException { InnerException: SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } }
        || e.GetBaseException() is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
        || e is Microsoft.AspNetCore.Connections.AddressInUseException;
}
