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
    // Control endpoints start after each database's first sync, within a second (docs/performance.md, "Start-up").
    private static readonly TimeSpan EndpointsDeferredAtMost = TimeSpan.FromSeconds(1);
    private Task<NodeEndpoints?> _endpoints = Task.FromResult<NodeEndpoints?>(null);
    // A node stopping before its endpoints started (replicate -once, a signal at start) never starts them.
    private readonly CancellationTokenSource _stopping = new();

    private LitestreamNode(INodeRuntime runtime)
    {
        _runtime = runtime;
        _garbageBudget = GarbageBudgetTimer.Start(runtime.System.Scheduler);
    }

    /// <param name="version">What <c>/info</c> reports.</param>
    /// <param name="early">A local actor system started before the config was read (stopped if the node is a cluster member).</param>
    public static async Task<LitestreamNode> StartAsync(
        NodeSettings settings, string version, NodeLog nodeLog, EarlyLocalActorSystem early, CancellationToken cancellationToken)
    {
        // Counters only where they can be read: the metrics registry exists when addr serves /metrics.
        var metrics = settings.Control?.Addr is null ? null : new NodeMetrics();
        var dataDirectory = settings.Control?.DataDirectory;
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
        }
        var journalPath = dataDirectory is null ? null : Path.Combine(dataDirectory, "control.db");
        INodeRuntime runtime;
        if (settings.Cluster is { } cluster)
        {
            await early.StopUnusedAsync();
            runtime = await ClusterNodeRuntime.StartAsync(settings, cluster, nodeLog, metrics, journalPath, cancellationToken);
        }
        else
        {
            runtime = await LocalNodeRuntime.StartAsync(settings, nodeLog, metrics, journalPath, early);
        }
        var node = new LitestreamNode(runtime);
        if (settings.Control is { } control)
        {
            // In a cluster a database syncs only once this node owns it: nothing to wait for.
            var firstSyncs = FirstSyncs.Await(
                runtime.System, settings.Cluster is null ? [.. settings.Replication.ScanDatabases().Select(d => d.Path)] : [], EndpointsDeferredAtMost);
            node._endpoints = StartEndpointsAsync(firstSyncs, node._stopping.Token, control, settings, version, runtime, metrics, nodeLog, cancellationToken);
        }
        return node;
    }

    /// <summary>Completes once the control endpoints listen, or failed to (one error line each).</summary>
    public Task EndpointsStarted => _endpoints;

    private static async Task<NodeEndpoints?> StartEndpointsAsync(
        Task firstSyncs, CancellationToken stopping, ControlSettings control, NodeSettings settings, string version, INodeRuntime runtime,
        NodeMetrics? metrics, NodeLog nodeLog, CancellationToken cancellationToken)
    {
        try
        {
            await firstSyncs.WaitAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return null;
        }
        var system = runtime.System;
        var actors = runtime.Actors;
        var clusterApi = new ClusterApi(system, actors.Catalog, settings);
        return await NodeEndpoints.StartAsync(
            control, new Mcp.McpToolContext(
                new ControlApi(actors.Supervisor, version, clusterApi, new ActorsApi(system, actors.Inspector, settings.Cluster is not null)), settings, version),
            metrics, () => !system.WhenTerminated.IsCompleted, nodeLog, runtime.LoggerFactory.CreateLogger("litestream"), cancellationToken);
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
        await _stopping.CancelAsync();
        try
        {
            if (await _endpoints is { } endpoints)
            {
                await endpoints.DisposeAsync();
            }
        }
        finally
        {
            await _runtime.DisposeAsync();
        }
        _garbageBudget?.Dispose();
        _stopping.Dispose();
    }
}
