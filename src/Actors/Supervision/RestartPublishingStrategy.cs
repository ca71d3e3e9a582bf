using Akka.Actor;

namespace LitestreamActors.Actors.Supervision;

/// <summary>
/// The default restart-on-failure strategy, publishing each restart on the event stream (for the restarts metric).
/// A failure already reported (<see cref="AlreadyReportedException"/>) is not logged a second time.
/// </summary>
public sealed class RestartPublishingStrategy : OneForOneStrategy
{
    private RestartPublishingStrategy(IActorContext context)
        : base(Akka.Actor.Decider.From(e =>
        {
            context.System.EventStream.Publish(new Events.ActorRestartObserved(context.Sender.Path.ToString(), e.Message));
            return Directive.Restart;
        }))
    {
    }

    public static SupervisorStrategy Create(IActorContext context) => new RestartPublishingStrategy(context);

    protected override void LogFailure(IActorContext context, IActorRef child, Exception cause, Directive directive)
    {
        if (cause is not AlreadyReportedException)
        {
            base.LogFailure(context, child, cause, directive);
        }
    }
}
