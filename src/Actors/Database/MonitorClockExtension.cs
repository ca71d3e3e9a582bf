using Akka.Actor;

namespace LitestreamActors.Actors.Database;

/// <summary>The monitor clock of one actor system (<see cref="MonitorClock"/>).</summary>
public sealed class MonitorClockExtension(IActorRef clock) : IExtension
{
    public IActorRef Clock { get; } = clock;
}
