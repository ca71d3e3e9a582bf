using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Database;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Actors.Status;
using LitestreamActors.Actors.Watching;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Supervision;

/// <summary>
/// The root of the tree: one DatabaseActor per database path. A database whose configuration cannot work stops
/// alone and keeps showing why; any other failure restarts only that database; the node keeps running.
/// </summary>
public sealed class LitestreamSupervisor : ReceiveActor
{
    private readonly Dictionary<IActorRef, string> _paths = [];
    private readonly Dictionary<string, string> _stopped = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public LitestreamSupervisor(LitestreamSettings settings, Func<ReplicaEndpoint, IReplicaClient> clients)
    {
        var watcher = Context.ActorOf(WalWatcherActor.Props(), "wal-watcher");
        foreach (var database in settings.Databases)
        {
            var child = Context.ActorOf(DatabaseActor.Props(database, watcher, clients), ChildName(database.Path));
            _paths[child] = database.Path;
            Context.Watch(child);
        }

        Receive<Terminated>(message => _paths.Remove(message.ActorRef));
        Receive<GetStatus>(_ =>
        {
            var replyTo = Sender;
            var stopped = _stopped.Select(s => new DatabaseStatus(s.Key, "stopped", null, null, s.Value, [])).ToList();
            var asks = _paths.Keys.Select(child => child.Ask<DatabaseStatus>(new DatabaseActor.GetStatus(), TimeSpan.FromSeconds(10)));
            Task.WhenAll(asks).PipeTo(replyTo, success: running => (IReadOnlyList<DatabaseStatus>)[.. running, .. stopped]);
        });
        Receive<FinalSync>(message =>
        {
            var replyTo = Sender;
            var asks = _paths.Keys.Select(child => child.Ask<DatabaseActor.FinalSyncDone>(new DatabaseActor.FinalSync(), message.Timeout));
            Task.WhenAll(asks).PipeTo(replyTo, success: done => new FinalSyncDone(done), failure: e => new Akka.Actor.Status.Failure(e));
        });
    }

    /// <param name="clients">Makes each replica's client; <see cref="ReplicaClientFactory.Create"/> outside tests.</param>
    public static Props Props(LitestreamSettings settings, Func<ReplicaEndpoint, IReplicaClient> clients) =>
        Akka.Actor.Props.Create(() => new LitestreamSupervisor(settings, clients));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: 10,
        withinTimeRange: TimeSpan.FromMinutes(1),
        decider: Decider.From(e =>
        {
            var reason = (e as ActorInitializationException)?.InnerException ?? e;
            if (reason is DatabaseConfigurationException)
            {
                var child = _paths.FirstOrDefault(p => Sender.Equals(p.Key));
                _stopped[child.Value ?? "?"] = reason.Message;
                _log.Error("database {0} stopped: {1}", child.Value, reason.Message);
                return Directive.Stop;
            }
            return Directive.Restart;
        }));

    private static string ChildName(string path) =>
        "db-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..16];

    /// <summary>The status of every database, as plain records.</summary>
    public sealed record GetStatus;

    /// <summary>Capture everything committed and wait for every replica to hold it, or fail after the timeout.</summary>
    public sealed record FinalSync(TimeSpan Timeout);

    public sealed record FinalSyncDone(IReadOnlyList<DatabaseActor.FinalSyncDone> Databases);
}
