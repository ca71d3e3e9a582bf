using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Database;
using LitestreamActors.Actors.Standby;
using LitestreamActors.Actors.Status;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Actors.Supervision;

// Warm standbys (docs/cluster.md, "Warm standbys"): one StandbyActor per standby path; a promoted one becomes a
// registered database of the same path, replicating to the replica it followed, so a restart replicates it again.
public sealed partial class LitestreamSupervisor
{
    private readonly Dictionary<string, IActorRef> _standbys = new(StringComparer.Ordinal);

    /// <summary>Promote the standby at <see cref="Path"/>; replies a <see cref="ControlOutcome"/> <c>promoted</c> with its TXID, or a <see cref="ControlError"/>.</summary>
    public sealed record PromoteStandby(string Path, TimeSpan Timeout);

    /// <summary>
    /// The owner's side of a manual promotion: a final sync of the database (everything committed reaches its
    /// replicas), then every replica's lease handed over to <see cref="PromotedTo"/>. Replies a <see cref="ControlOutcome"/>
    /// <c>demoted</c> with the TXID the replicas hold, or a <see cref="ControlError"/>.
    /// </summary>
    public sealed record DemoteDatabase(string Path, string PromotedTo, TimeSpan Timeout);

    private sealed record StandbyPromoted(StandbyActor.Promoted Promoted, IActorRef ReplyTo, DateTimeOffset StartedAt);

    private void SpawnStandbys()
    {
        // A standby promoted before a restart is a registered database now.
        foreach (var standby in _settings.Standbys.Where(s => !_databases.ContainsKey(s.Path)))
        {
            _standbys[standby.Path] = Context.ActorOf(StandbyActor.Props(standby, _clients, _settings.Ownership.Clustered), "standby-" + ChildName(standby.Path)[3..]);
        }
    }

    private void ReceiveStandbyMessages()
    {
        Receive<PromoteStandby>(message =>
        {
            if (!_standbys.TryGetValue(message.Path, out var standby))
            {
                Sender.Tell(new ControlError(ControlErrorKind.NotFound, _databases.ContainsKey(message.Path)
                    ? $"{message.Path} is a database of this node already, not a standby"
                    : $"no standby at {message.Path} on this node"));
                return;
            }
            var replyTo = Sender;
            var startedAt = DateTimeOffset.UtcNow;
            standby.Ask<object>(new StandbyActor.Promote(), message.Timeout).PipeTo(
                Self,
                success: reply => reply is StandbyActor.Promoted promoted ? new StandbyPromoted(promoted, replyTo, startedAt) : new Forward(reply, replyTo),
                failure: e => new Forward(new ControlError(ControlErrorKind.Timeout, $"standby {message.Path} did not promote within {message.Timeout.TotalSeconds:0}s: {e.Message}"), replyTo));
        });
        Receive<Forward>(message => message.ReplyTo.Tell(message.Reply));
        Receive<DemoteDatabase>(message => WithDatabase(message.Path, path =>
        {
            var entry = _databases[path];
            if (entry.Actor is not { } child || entry.IsStopped)
            {
                Sender.Tell(new ControlError(ControlErrorKind.Conflict, $"database is stopped: {path}"));
                return;
            }
            DemoteAsync(child, message).PipeTo(Sender, failure: e => new ControlError(ControlErrorKind.Timeout, $"demoting {path}: {e.Message}"));
        }));
        Receive<StandbyPromoted>(message =>
        {
            var path = message.Promoted.Path;
            var settings = _settings.Standbys.First(s => s.Path == path);
            Context.Stop(_standbys[path]);
            _standbys.Remove(path);
            var registered = RegisteredSettings(path, settings.ReplicaUrl);
            _databases[path] = new DatabaseEntry(registered with { Replicas = [.. registered.Replicas.Select(r => r with { ClaimsTarget = true })] });
            Spawn(path);
            _log.Info("standby {0} promoted: replicating to {1} after txid={2} ({3} ms after the request)",
                path, Storage.Replica.ReplicaUrl.Redact(settings.ReplicaUrl), Txid.Format(message.Promoted.Txid), (long)(DateTimeOffset.UtcNow - message.StartedAt).TotalMilliseconds);
            RecordThenReply(new ControlStateActor.Registered(path, settings.ReplicaUrl), message.ReplyTo, new ControlOutcome("promoted", path, message.Promoted.Txid));
        });
    }

    private async Task<object> DemoteAsync(IActorRef database, DemoteDatabase message)
    {
        var synced = await database.Ask<DatabaseActor.Synced>(new DatabaseActor.Sync(WaitForReplicas: true, message.Timeout), message.Timeout + TimeSpan.FromSeconds(10));
        if (synced.Problem is { } problem)
        {
            return new ControlError(ControlErrorKind.Unavailable, $"{message.Path}: the final sync before the promotion did not complete: {problem}");
        }
        var handed = await database.Ask<DatabaseActor.HandedOver>(new DatabaseActor.HandOver(message.PromotedTo), TimeSpan.FromSeconds(30));
        _log.Info("database {0} demoted: txid={1} synced, {2} lease(s) handed over to {3}", message.Path, Txid.Format(synced.Txid), handed.Replicas, message.PromotedTo);
        return new ControlOutcome("demoted", message.Path, synced.Txid);
    }

    private IEnumerable<Task<DatabaseStatus>> StandbyStatuses() => _standbys.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
        s.Value.Ask<DatabaseStatus>(new StandbyActor.GetStatus(), StatusTimeout).ContinueWith(
            t => t.IsCompletedSuccessfully ? t.Result : new DatabaseStatus(s.Key, "unresponsive", null, null, "the standby did not answer within 10s", []),
            TaskScheduler.Default));

    private sealed record Forward(object Reply, IActorRef ReplyTo);
}
