using Akka.Actor;

namespace LitestreamActors.Actors.Database;

/// <summary>The node's one <see cref="MonitorClockActor"/>, started on first use by any WAL reader of the actor system.</summary>
public sealed class MonitorClock : ExtensionIdProvider<MonitorClockExtension>
{
    public static IActorRef Of(ActorSystem system) => system.WithExtension<MonitorClockExtension, MonitorClock>().Clock;

    public override MonitorClockExtension CreateExtension(ExtendedActorSystem system) => new(system.SystemActorOf(MonitorClockActor.Props(), "monitor-clock"));
}
