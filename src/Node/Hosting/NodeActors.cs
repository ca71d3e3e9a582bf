using Akka.Actor;
using LitestreamActors.Actors.Cluster;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Hooks;
using LitestreamActors.Actors.Inspection;
using LitestreamActors.Actors.Supervision;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Metrics;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Node.Hosting;

/// <summary>The node's top-level actors, the same under a local actor system and in a cluster member.</summary>
internal sealed record NodeActors(IActorRef Supervisor, IActorRef Inspector, IActorRef? ExecHooks, IActorRef? Catalog)
{
    /// <param name="journalPath">The node's own journal (registrations, stopped databases), when it keeps one.</param>
    /// <param name="journalPluginId">The path of that journal plugin's settings.</param>
    public static NodeActors Start(ActorSystem system, NodeSettings settings, NodeMetrics? metrics, string? journalPath, string journalPluginId)
    {
        // Akka's timer wheel starts on its first use, and every caller waits for it on a pool thread: started here,
        // before hundreds of databases start their timers at once (docs/scale.md).
        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, () => { });
        if (metrics is not null)
        {
            system.ActorOf(MetricsActor.Props(metrics), "metrics");
        }
        var inspector = system.ActorOf(InspectorActor.Props(), "inspector");
        var hooks = settings.Replication.ExecHooks.Count > 0
            ? system.ActorOf(ExecHookActor.Props(settings.Replication.ExecHooks), "exec-hooks")
            : null;
        var journal = journalPath is null ? null : new ControlJournal(File.Exists(journalPath), journalPluginId);
        var supervisor = system.ActorOf(
            LitestreamSupervisor.Props(settings.Replication, endpoint => Metered(ReplicaClientFactory.Create(endpoint), metrics), journal),
            "litestream");
        IActorRef? catalog = null;
        if (settings.Cluster is not null)
        {
            catalog = system.ActorOf(CatalogActor.Props(supervisor), "catalog");
            ClusterHosting.StartReplicaGrants(system, settings.Replication.Ownership.LeaseTimeToLive);
        }
        return new NodeActors(supervisor, inspector, hooks, catalog);
    }

    private static IReplicaClient Metered(IReplicaClient client, NodeMetrics? metrics) =>
        metrics is null ? client : new MeteredReplicaClient(client, metrics);
}
