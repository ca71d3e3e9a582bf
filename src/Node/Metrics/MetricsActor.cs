using Akka.Actor;
using LitestreamActors.Actors.Events;

namespace LitestreamActors.Node.Metrics;

/// <summary>Follows the event stream into the node's counters.</summary>
public sealed class MetricsActor : ReceiveActor
{
    public MetricsActor(NodeMetrics metrics)
    {
        Receive<SyncObserved>(metrics.Observe);
        Receive<CheckpointObserved>(metrics.Observe);
        Receive<ActorRestartObserved>(metrics.Observe);
        Receive<CaptureCheckFailed>(metrics.Observe);
        Receive<LeaseOwnershipChanged>(metrics.Observe);
    }

    public static Props Props(NodeMetrics metrics) => Akka.Actor.Props.Create(() => new MetricsActor(metrics));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(SyncObserved));
        Context.System.EventStream.Subscribe(Self, typeof(CheckpointObserved));
        Context.System.EventStream.Subscribe(Self, typeof(ActorRestartObserved));
        Context.System.EventStream.Subscribe(Self, typeof(CaptureCheckFailed));
        Context.System.EventStream.Subscribe(Self, typeof(LeaseOwnershipChanged));
    }
}
