using Akka.Actor;
using LitestreamActors.Actors.Events;

namespace LitestreamActors.Actors.Inspection;

/// <summary>
/// Answers <c>litestream actors</c> (docs/cluster.md, "Inspection"): the actor tree under <c>/user</c> (or one path of
/// it) as this node runs it, each actor with its class, mailbox size and the restarts its supervisor made, counted
/// from the event stream since the node started.
/// </summary>
public sealed class InspectorActor : ReceiveActor
{
    private readonly Dictionary<string, int> _restarts = new(StringComparer.Ordinal);

    public InspectorActor()
    {
        Receive<ActorRestartObserved>(message =>
        {
            var path = ActorPath.TryParse(message.ActorPath, out var parsed) ? parsed.ToStringWithoutAddress() : message.ActorPath;
            _restarts[path] = _restarts.GetValueOrDefault(path) + 1;
        });
        Receive<GetTree>(message => Sender.Tell(Find(message.Path ?? "/user") is { } root
            ? new Tree(Read(root, message.Depth))
            : new NotFound(message.Path ?? "/user")));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new InspectorActor());

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(ActorRestartObserved));

    private ActorNode Read(IActorRef actor, int depth)
    {
        var path = actor.Path.ToStringWithoutAddress();
        if (actor is not ActorRefWithCell local)
        {
            return new ActorNode(path, "remote", 0, 0, []);
        }
        var children = depth <= 0 ? [] : local.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).Select(c => Read(c, depth - 1)).ToList();
        return new ActorNode(path, local.Underlying.Props.Type?.Name ?? "unknown", local.Underlying.NumberOfMessages, _restarts.GetValueOrDefault(path), children);
    }

    // Walks down from the user guardian by name: /user, /user/litestream, /user/litestream/db-….
    private static IActorRef? Find(string path)
    {
        var names = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0 || names[0] != "user")
        {
            return null;
        }
        IActorRef current = ((ExtendedActorSystem)Context.System).Guardian;
        foreach (var name in names.Skip(1))
        {
            current = current is ActorRefWithCell cell ? cell.GetSingleChild(name) : ActorRefs.Nobody;
            if (current.IsNobody())
            {
                return null;
            }
        }
        return current;
    }

    /// <summary>The tree from <paramref name="Path"/> (default <c>/user</c>), <paramref name="Depth"/> levels below it.</summary>
    public sealed record GetTree(string? Path, int Depth);

    public sealed record Tree(ActorNode Root);

    public sealed record NotFound(string Path);
}
