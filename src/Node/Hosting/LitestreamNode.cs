using Akka.Actor;
using LitestreamActors.Actors.Hooks;
using LitestreamActors.Actors.Supervision;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Control;
using LitestreamActors.Node.Logging;
using LitestreamActors.Node.Metrics;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// A running node: the actor tree in a local ActorSystem (no remoting, no idle cost) unless the config has a
/// <c>cluster:</c> section, in which case the same tree runs inside an Akka.Cluster member.
/// </summary>
public sealed class LitestreamNode : IAsyncDisposable
{
    private readonly INodeRuntime _runtime;
    private readonly GarbageBudgetTimer? _garbageBudget;
    private NodeEndpoints? _endpoints;

    private LitestreamNode(INodeRuntime runtime)
    {
        _runtime = runtime;
        _garbageBudget = GarbageBudgetTimer.Start(runtime.System.Scheduler);
    }

    /// <param name="version">What <c>/info</c> reports.</param>
    public static async Task<LitestreamNode> StartAsync(NodeSettings settings, string version, NodeLog nodeLog, CancellationToken cancellationToken)
    {
        // Counters only where they can be read: the metrics registry exists when addr serves /metrics.
        var metrics = settings.Control?.Addr is null ? null : new NodeMetrics();
        var dataDirectory = settings.Control?.DataDirectory;
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
        }
        var journalPath = dataDirectory is null ? null : Path.Combine(dataDirectory, "control.db");
        INodeRuntime runtime = settings.Cluster is { } cluster
            ? await ClusterNodeRuntime.StartAsync(settings, cluster, nodeLog, metrics, journalPath, cancellationToken)
            : LocalNodeRuntime.Start(settings, nodeLog, metrics, journalPath);
        var node = new LitestreamNode(runtime);
        if (settings.Control is { } control)
        {
            var system = runtime.System;
            var actors = runtime.Actors;
            var clusterApi = new ClusterApi(system, actors.Catalog, settings);
            node._endpoints = await NodeEndpoints.StartAsync(
                control, new Mcp.McpToolContext(
                    new ControlApi(actors.Supervisor, version, clusterApi, new ActorsApi(system, actors.Inspector, settings.Cluster is not null)), settings, version),
                metrics, () => !system.WhenTerminated.IsCompleted, nodeLog, runtime.LoggerFactory.CreateLogger("litestream"), cancellationToken);
        }
        return node;
    }

    /// <summary>Completes when the actor system stops on its own: the split brain resolver downed this node.</summary>
    public Task Terminated => _runtime.System.WhenTerminated;

    /// <summary>Captures what is committed and waits for every replica to hold it, within <paramref name="timeout"/>.</summary>
    public Task<LitestreamSupervisor.FinalSyncDone> FinalSyncAsync(TimeSpan timeout) =>
        _runtime.Actors.Supervisor.Ask<LitestreamSupervisor.FinalSyncDone>(new LitestreamSupervisor.FinalSync(timeout), timeout + TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync()
    {
        // The stopped hooks run while the node still logs, bounded by their own timeouts.
        if (_runtime.Actors.ExecHooks is { } hooks)
        {
            await Task.WhenAny(hooks.Ask<ExecHookActor.Stopped>(new ExecHookActor.Stopping()), Task.Delay(TimeSpan.FromMinutes(5)));
        }
        if (_endpoints is not null)
        {
            await _endpoints.DisposeAsync();
        }
        await _runtime.DisposeAsync();
        _garbageBudget?.Dispose();
    }
}
