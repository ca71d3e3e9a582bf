using Akka.Actor;

namespace AkkaFloor;

/// <summary>The one actor of the floor: answers what it is sent.</summary>
public sealed class EchoActor : ReceiveActor
{
    public EchoActor()
    {
        Receive<string>(text => Sender.Tell(text));
    }
}
