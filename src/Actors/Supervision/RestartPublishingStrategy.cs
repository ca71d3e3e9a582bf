using Akka.Actor;

namespace LitestreamActors.Actors.Supervision;

/// <summary>The default restart-on-failure strategy, publishing each restart on the event stream (for the restarts metric).</summary>
public static class RestartPublishingStrategy
{
    public static SupervisorStrategy Create(IActorContext context) => new OneForOneStrategy(Decider.From(e =>
    {
        context.System.EventStream.Publish(new Events.ActorRestartObserved(context.Sender.Path.ToString(), e.Message));
        return Directive.Restart;
    }));
}
