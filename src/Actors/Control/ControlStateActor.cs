using Akka.Actor;
using Akka.Persistence;

namespace LitestreamActors.Actors.Control;

/// <summary>
/// The control-plane state that must survive a restart: databases registered at run time and databases stopped on
/// request, as events in the node's journal. Replica positions are never kept here: the replicas' own files are the
/// truth, read at start.
/// </summary>
public sealed class ControlStateActor : ReceivePersistentActor
{
    private readonly Dictionary<string, string> _registered = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stopped = new(StringComparer.Ordinal);

    public ControlStateActor(string journalPluginId)
    {
        JournalPluginId = journalPluginId;
        Recover<Registered>(Apply);
        Recover<Unregistered>(Apply);
        Recover<Stopped>(Apply);
        Recover<Started>(Apply);
        Command<GetState>(_ => Sender.Tell(new State(new Dictionary<string, string>(_registered, StringComparer.Ordinal), [.. _stopped])));
        Command<Registered>(e => Persist(e, persisted => Acknowledge(() => Apply(persisted))));
        Command<Unregistered>(e => Persist(e, persisted => Acknowledge(() => Apply(persisted))));
        Command<Stopped>(e => Persist(e, persisted => Acknowledge(() => Apply(persisted))));
        Command<Started>(e => Persist(e, persisted => Acknowledge(() => Apply(persisted))));
    }

    public override string PersistenceId => "litestream-control";

    public static Props Props(string journalPluginId) => Akka.Actor.Props.Create(() => new ControlStateActor(journalPluginId));

    private void Acknowledge(Action apply)
    {
        apply();
        Sender.Tell(new Recorded());
    }

    private void Apply(Registered e) => _registered[e.Path] = e.ReplicaUrl;

    private void Apply(Unregistered e)
    {
        _registered.Remove(e.Path);
        _stopped.Remove(e.Path);
    }

    private void Apply(Stopped e) => _stopped.Add(e.Path);

    private void Apply(Started e) => _stopped.Remove(e.Path);

    public sealed record GetState;

    /// <summary>Registered databases with their replica URL, and the databases stopped on request.</summary>
    public sealed record State(IReadOnlyDictionary<string, string> Registered, IReadOnlyList<string> Stopped);

    public sealed record Registered(string Path, string ReplicaUrl);

    public sealed record Unregistered(string Path);

    public sealed record Stopped(string Path);

    public sealed record Started(string Path);

    /// <summary>The event is in the journal.</summary>
    public sealed record Recorded;
}
