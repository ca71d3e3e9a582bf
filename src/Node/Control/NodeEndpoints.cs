using LitestreamActors.Node.Configuration;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Node.Logging;
using LitestreamActors.Node.Mcp;
using LitestreamActors.Node.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;

namespace LitestreamActors.Node.Control;

/// <summary>
/// Starts what <see cref="ControlSettings"/> asks for: on <c>addr</c> the metrics, the health checks and the API under
/// <c>/api/v1</c>; on the control socket the API at upstream's paths and under <c>/api/v1</c>; on <c>mcp-addr</c> the
/// MCP server (Streamable HTTP at <c>/mcp</c>). An endpoint that cannot
/// start is one error line; replication goes on without it.
/// </summary>
public sealed class NodeEndpoints : IAsyncDisposable
{
    private readonly List<HttpEndpoint> _endpoints;

    private NodeEndpoints(List<HttpEndpoint> endpoints) => _endpoints = endpoints;

    public static async Task<NodeEndpoints> StartAsync(
        ControlSettings settings, McpToolContext mcp, NodeMetrics? metrics, Func<bool> alive, NodeLog nodeLog, ILogger log, CancellationToken cancellationToken)
    {
        var api = mcp.Api;
        var endpoints = new List<HttpEndpoint>();
        if (settings.Addr is { } addr)
        {
            await TryStart(endpoints, log, "addr", addr, () => HttpEndpoint.StartAsync(
                ListenAddress.Parse(addr, "addr"), settings.Token, nodeLog, _ => { }, app =>
                {
                    MapHealth(app, api, alive);
                    MapMetrics(app, api, metrics ?? throw new InvalidOperationException("the metrics registry is made when addr is set"));
                    api.Map(app.MapGroup("/api/v1"));
                }, cancellationToken));
        }
        if (settings.SocketPath is { } socket)
        {
            await TryStart(endpoints, log, "socket", socket, () => Task.FromResult(HttpEndpoint.ListenOnSocket(socket, settings.SocketPermissions, nodeLog, api,
                e => log.LogError("control socket {Where}: its server could not start: {Reason}", socket, e.Message))));
        }
        if (settings.McpAddr is { } mcpAddr)
        {
            await TryStart(endpoints, log, "mcp-addr", mcpAddr, () => HttpEndpoint.StartAsync(
                ListenAddress.Parse(mcpAddr, "mcp-addr"), settings.Token, nodeLog, builder =>
                {
                    builder.Services.AddSingleton(mcp);
                    builder.Services
                        .AddMcpServer(options => options.ServerInfo = new Implementation { Name = "Litestream MCP Server", Version = "1.0.0" })
                        .WithHttpTransport()
                        .WithTools<LitestreamTools>();
                }, app =>
                {
                    // Upstream serves MCP at the root; /mcp as before.
                    app.MapMcp("/mcp");
                    app.MapMcp("/");
                }, cancellationToken));
        }
        return new NodeEndpoints(endpoints);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var endpoint in _endpoints)
        {
            await endpoint.DisposeAsync();
        }
    }

    private static async Task TryStart(List<HttpEndpoint> endpoints, ILogger log, string key, string where, Func<Task<HttpEndpoint>> start)
    {
        try
        {
            var endpoint = await start();
            endpoints.Add(endpoint);
            log.LogInformation("{Key} listening on {Where}", key, endpoint.Description);
        }
        catch (Exception e) when (HttpEndpoint.IsAddressInUse(e))
        {
            log.LogError("cannot listen on {Key} {Where}: the address is already in use; replication goes on without it", key, where);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Storage.StorageException or System.Net.Sockets.SocketException)
        {
            log.LogError("cannot listen on {Key} {Where}: {Reason}; replication goes on without it", key, where, e.Message);
        }
    }

    private static void MapMetrics(IEndpointRouteBuilder routes, ControlApi api, NodeMetrics metrics) =>
        routes.MapGet("/metrics", async (HttpContext context) =>
        {
            metrics.Refresh(await api.AllAsync());
            if (api.Cluster.Enabled)
            {
                var (byStatus, unreachable) = api.Cluster.MemberCounts();
                metrics.RefreshCluster(byStatus, unreachable);
            }
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });

    private static void MapHealth(IEndpointRouteBuilder routes, ControlApi api, Func<bool> alive)
    {
        routes.MapGet("/health/live", () => alive()
            ? Results.Json(new HealthAnswer("ok"), ControlApi.JsonOptions)
            : Results.Json(new HealthAnswer("stopping"), ControlApi.JsonOptions, statusCode: StatusCodes.Status503ServiceUnavailable));
        routes.MapGet("/health/ready", async () =>
        {
            var problems = Health.NotReady(await api.AllAsync(), DateTimeOffset.UtcNow);
            return problems.Count == 0
                ? Results.Json(new HealthAnswer("ok"), ControlApi.JsonOptions)
                : Results.Json(new HealthAnswer("unavailable") { Problems = problems }, ControlApi.JsonOptions, statusCode: StatusCodes.Status503ServiceUnavailable);
        });
    }
}
