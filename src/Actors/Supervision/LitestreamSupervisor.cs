using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Database;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Actors.Status;
using LitestreamActors.Actors.Watching;
using LitestreamActors.Storage;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Supervision;

/// <summary>
/// The root of the tree: one DatabaseActor per database path. A database whose configuration cannot work stops
/// alone and keeps showing why; any other failure restarts only that database; the node keeps running. Databases
/// are started, stopped, registered and unregistered at run time through the control messages below.
/// </summary>
public sealed partial class LitestreamSupervisor : ReceiveActor, IWithStash
{
    /// <summary>The last error of a database stopped through the control API.</summary>
    public const string StoppedByRequest = "stopped by request";

    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(10);
    private readonly LitestreamSettings _settings;
    private readonly Func<ReplicaEndpoint, IReplicaClient> _clients;
    private readonly Dictionary<string, DatabaseEntry> _databases = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ControlJournal? _journal;
    private IActorRef? _controlState;
    private IActorRef _watcher = ActorRefs.Nobody;

    public LitestreamSupervisor(LitestreamSettings settings, Func<ReplicaEndpoint, IReplicaClient> clients, ControlJournal? journal)
    {
        _settings = settings;
        _clients = clients;
        _journal = journal;
        if (journal is not { HasEvents: true })
        {
            Ready();
            return;
        }
        AwaitControlState();
    }

    public IStash Stash { get; set; } = null!;

    // Until the journal has told which databases were registered or stopped, requests wait. Apart from the constructor:
    // a method naming the journal's messages loads Akka.Persistence when it is prepared, and a node without a journal to
    // replay never needs it (docs/performance.md, "Start-up").
    private void AwaitControlState()
    {
        Receive<ControlStateActor.State>(state =>
        {
            foreach (var (path, url) in state.Registered.Where(r => !_databases.ContainsKey(r.Key)))
            {
                _databases[path] = new DatabaseEntry(RegisteredSettings(path, url));
            }
            foreach (var path in _databases.Keys.Order(StringComparer.Ordinal).ToList())
            {
                if (state.Stopped.Contains(path))
                {
                    _databases[path] = _databases[path] with { State = DatabaseLifecycle.StoppedByRequest, Reason = StoppedByRequest };
                }
                else
                {
                    Spawn(path);
                }
            }
            SpawnStandbys();
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<Akka.Actor.Status.Failure>(failure => throw new InvalidOperationException("the control state journal did not answer: " + failure.Cause.Message, failure.Cause));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Ready()
    {
        Receive<Terminated>(message => OnTerminated(message.ActorRef));
        Receive<DatabaseActor.Running>(message =>
        {
            if (_databases.TryGetValue(message.Path, out var entry) && entry.State == DatabaseLifecycle.Starting && Sender.Equals(entry.Actor))
            {
                _databases[message.Path] = entry with { State = DatabaseLifecycle.Running };
            }
        });
        ReceiveStandbyMessages();
        ReceiveDirectoryMessages();
        Receive<GetStatus>(_ => ReplyAllStatus());
        Receive<GetDatabase>(message => WithDatabase(message.Path, ReplyStatus));
        Receive<SyncDatabase>(message => WithDatabase(message.Path, path => Sync(path, message)));
        Receive<DescribeReplica>(message => WithDatabase(message.Path, path => Describe(path, message.Replica)));
        Receive<StartDatabase>(message => WithDatabase(message.Path, Start));
        Receive<StopDatabase>(message => WithDatabase(message.Path, path => BeginStop(path, message.Timeout, unregister: false)));
        Receive<RegisterDatabase>(Register);
        Receive<UnregisterDatabase>(message =>
        {
            if (!_databases.ContainsKey(message.Path))
            {
                Sender.Tell(new ControlOutcome("already_unregistered", message.Path, null));
            }
            else if (_databases[message.Path].Actor is null)
            {
                ReplyUnregistered(_databases[message.Path], Sender, null);
            }
            else
            {
                BeginStop(message.Path, message.Timeout, unregister: true);
            }
        });
        Receive<StopAfterSync>(message =>
        {
            var entry = _databases[message.Path];
            _databases[message.Path] = entry with { Stop = new PendingStop(message.ReplyTo, message.Unregister, message.Txid) };
            Context.Stop(entry.Actor!);
        });
        Receive<FinalSync>(message =>
        {
            var replyTo = Sender;
            // Each database answers by the deadline, with the problem when its final state did not reach every replica.
            var asks = _databases.Values
                .Where(d => d.Actor is not null && !d.IsStopped)
                .Select(d => d.Actor!.Ask<DatabaseActor.Synced>(new DatabaseActor.Sync(WaitForReplicas: true, message.Timeout), message.Timeout + TimeSpan.FromSeconds(10)));
            // A database stopped by an error delivered nothing.
            var failed = _databases
                .Where(d => d.Value.State == DatabaseLifecycle.Failed)
                .Select(d => Task.FromResult(new DatabaseActor.Synced(d.Key, 0, 0, false) { Problem = d.Value.Reason }));
            Task.WhenAll(asks.Concat(failed)).PipeTo(replyTo, success: done => new FinalSyncDone(done), failure: e => new Akka.Actor.Status.Failure(e));
        });
    }

    /// <param name="clients">Makes each replica's client; <see cref="ReplicaClientFactory.Create"/> outside tests.</param>
    /// <param name="journal">Whether registrations and stopped databases are journaled; null keeps them in memory only.</param>
    public static Props Props(LitestreamSettings settings, Func<ReplicaEndpoint, IReplicaClient> clients, ControlJournal? journal = null) =>
        Akka.Actor.Props.Create(() => new LitestreamSupervisor(settings, clients, journal));

    protected override void PreStart()
    {
        _watcher = Context.ActorOf(WalWatcherActor.Props(), "wal-watcher");
        foreach (var database in _settings.Databases)
        {
            _databases[database.Path] = new DatabaseEntry(database);
        }
        AdoptDirectories();
        if (_journal is { HasEvents: true })
        {
            AskControlState();
        }
        else
        {
            foreach (var path in _databases.Keys.ToList())
            {
                Spawn(path);
            }
            SpawnStandbys();
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: 10,
        withinTimeRange: TimeSpan.FromMinutes(1),
        decider: Decider.From(e =>
        {
            var reason = (e as ActorInitializationException)?.InnerException ?? e;
            if (reason is DatabaseConfigurationException)
            {
                if (EntryOf(Sender) is { } failed)
                {
                    _databases[failed.Settings.Path] = failed with { State = DatabaseLifecycle.Failed, Reason = reason.Message };
                }
                _log.Error("database {0} stopped: {1}", EntryOf(Sender)?.Settings.Path ?? "?", reason.Message);
                return Directive.Stop;
            }
            Context.System.EventStream.Publish(new Events.ActorRestartObserved(Sender.Path.ToString(), reason.Message));
            return Directive.Restart;
        }));

    private void Spawn(string path)
    {
        var entry = _databases[path];
        var child = Context.ActorOf(DatabaseActor.Props(entry.Settings, _watcher, _clients, _settings.Ownership), ChildName(path));
        _databases[path] = entry with { Actor = child, State = DatabaseLifecycle.Starting, Reason = null, Stop = null };
        Context.Watch(child);
    }

    private DatabaseEntry? EntryOf(IActorRef actor) => _databases.Values.FirstOrDefault(d => actor.Equals(d.Actor));

    private void WithDatabase(string path, Action<string> handle)
    {
        if (_databases.ContainsKey(path))
        {
            handle(path);
        }
        else
        {
            Sender.Tell(new ControlError(ControlErrorKind.NotFound, $"database not found: {path}"));
        }
    }

    private void ReplyAllStatus()
    {
        var asks = _databases.Keys.Order(StringComparer.Ordinal).Select(AskStatus).Concat(StandbyStatuses());
        Task.WhenAll(asks).PipeTo(Sender, success: all => (IReadOnlyList<DatabaseStatus>)all);
    }

    private void ReplyStatus(string path) => AskStatus(path).PipeTo(Sender);

    private Task<DatabaseStatus> AskStatus(string path)
    {
        var entry = _databases[path];
        if (entry.IsStopped || entry.Actor is not { } child)
        {
            return Task.FromResult(new DatabaseStatus(path, "stopped", null, null, entry.Reason, []));
        }
        // One database that does not answer must not hide the others.
        return child.Ask<DatabaseStatus>(new DatabaseActor.GetStatus(), StatusTimeout).ContinueWith(
            t => t.IsCompletedSuccessfully ? t.Result : new DatabaseStatus(path, "unresponsive", null, null, "the database did not answer within 10s", []),
            TaskScheduler.Default);
    }

    private void Sync(string path, SyncDatabase message)
    {
        var entry = _databases[path];
        if (entry.IsStopped || entry.State == DatabaseLifecycle.Stopping || entry.Actor is not { } child)
        {
            Sender.Tell(new ControlError(ControlErrorKind.Conflict, $"database is stopped: {path}"));
            return;
        }
        child.Ask<DatabaseActor.Synced>(new DatabaseActor.Sync(message.Wait), message.Timeout).PipeTo(
            Sender,
            success: synced => synced,
            failure: _ => new ControlError(ControlErrorKind.Timeout, $"sync of {path} did not complete within {message.Timeout.TotalSeconds:0}s"));
    }

    private void Describe(string path, string? name)
    {
        var replicas = _databases[path].Settings.Replicas;
        var replica = name is null ? replicas.FirstOrDefault() : replicas.FirstOrDefault(r => r.Name == name);
        Sender.Tell(replica is null
            ? new ControlError(ControlErrorKind.NotFound, $"database {path} has no replica{(name is null ? string.Empty : $" named {name}")}")
            : new ReplicaDescription(replica.Name, replica.Endpoint.WithoutSecrets()));
    }

    private void Start(string path)
    {
        var entry = _databases[path];
        if (entry.Actor is not null)
        {
            Sender.Tell(entry.IsStopped || entry.State == DatabaseLifecycle.Stopping
                ? new ControlError(ControlErrorKind.Conflict, $"database is still stopping: {path}")
                : new ControlOutcome("already_running", path, null));
            return;
        }
        Spawn(path);
        _log.Info("database {0} started", path);
        RecordThenReply(new ControlStateActor.Started(path), Sender, new ControlOutcome("started", path, null));
    }

    // A final sync bounded by the timeout, then the database's actors stop; a replica that did not catch up in time
    // gets the rest from the WAL and the local L0 files at the next start.
    private void BeginStop(string path, TimeSpan timeout, bool unregister)
    {
        var entry = _databases[path];
        if (entry.Actor is not { } child || entry.IsStopped)
        {
            if (unregister)
            {
                ReplyUnregistered(entry, Sender, null);
            }
            else
            {
                Sender.Tell(new ControlOutcome("already_stopped", path, null));
            }
            return;
        }
        if (entry.State == DatabaseLifecycle.Stopping)
        {
            Sender.Tell(new ControlError(ControlErrorKind.Conflict, $"database is already stopping: {path}"));
            return;
        }
        _databases[path] = entry with { State = DatabaseLifecycle.Stopping, Stop = new PendingStop(Sender, unregister, null) };
        var replyTo = Sender;
        child.Ask<DatabaseActor.Synced>(new DatabaseActor.Sync(WaitForReplicas: true), timeout).PipeTo(
            Self,
            success: synced => new StopAfterSync(path, replyTo, unregister, synced.Txid),
            failure: _ => new StopAfterSync(path, replyTo, unregister, null));
    }

    private void OnTerminated(IActorRef child)
    {
        if (EntryOf(child) is not { } entry)
        {
            return;
        }
        var path = entry.Settings.Path;
        _databases[path] = entry with { Actor = null };
        if (entry.Stop is not { } pending)
        {
            if (!entry.IsStopped)
            {
                // The restarts allowed in a minute ran out.
                _databases[path] = entry with { Actor = null, State = DatabaseLifecycle.Failed, Reason = "stopped after failing repeatedly; start it again once the cause is fixed" };
                _log.Error("database {0} stopped after failing repeatedly", path);
            }
            return;
        }
        if (pending.Unregister)
        {
            _log.Info("database {0} unregistered", path);
            ReplyUnregistered(entry, pending.ReplyTo, pending.Txid);
        }
        else
        {
            _databases[path] = entry with { Actor = null, State = DatabaseLifecycle.StoppedByRequest, Reason = StoppedByRequest, Stop = null };
            _log.Info("database {0} stopped", path);
            RecordThenReply(new ControlStateActor.Stopped(path), pending.ReplyTo, new ControlOutcome("stopped", path, pending.Txid));
        }
    }

    private void Register(RegisterDatabase message)
    {
        if (_databases.ContainsKey(message.Path))
        {
            Sender.Tell(new ControlOutcome("already_registered", message.Path, null));
            return;
        }
        if (!Path.IsPathFullyQualified(message.Path) || !Directory.Exists(Path.GetDirectoryName(message.Path)))
        {
            Sender.Tell(new ControlError(ControlErrorKind.Invalid, $"database directory does not exist: {Path.GetDirectoryName(message.Path)}"));
            return;
        }
        var endpoint = new ReplicaEndpoint(string.Empty, message.ReplicaUrl, null);
        try
        {
            ReplicaClientFactory.Locate(endpoint);
        }
        catch (StorageException e)
        {
            Sender.Tell(new ControlError(ControlErrorKind.Invalid, e.Message));
            return;
        }
        _databases[message.Path] = new DatabaseEntry(RegisteredSettings(message.Path, message.ReplicaUrl));
        Spawn(message.Path);
        _log.Info("database {0} registered with replica {1}", message.Path, ReplicaUrl.Redact(message.ReplicaUrl));
        RecordThenReply(new ControlStateActor.Registered(message.Path, message.ReplicaUrl), Sender, new ControlOutcome("registered", message.Path, null));
    }

    private void AskControlState() =>
        ControlState().Ask<ControlStateActor.State>(new ControlStateActor.GetState(), TimeSpan.FromSeconds(60)).PipeTo(Self);

    // The journal is opened on the first event, so a node that never uses the control API never pays its start-up.
    private IActorRef ControlState() => _controlState ??= Context.ActorOf(ControlStateActor.Props(_journal!.PluginId), "control-state");

    // A request is answered once its event is in the journal, so what it reports survives a restart from then on.
    private void RecordThenReply(object controlEvent, IActorRef replyTo, ControlOutcome reply)
    {
        if (_journal is null)
        {
            replyTo.Tell(reply);
            return;
        }
        ControlState().Ask<ControlStateActor.Recorded>(controlEvent, TimeSpan.FromSeconds(30)).PipeTo(
            replyTo,
            success: _ => reply,
            failure: e => new ControlError(ControlErrorKind.Timeout, $"{reply.Status} {reply.Path}, but the node's journal did not record it: {e.Message}"));
    }

    private DatabaseSettings RegisteredSettings(string path, string replicaUrl)
    {
        var scheme = ReplicaUrl.SchemeOf(replicaUrl) ?? string.Empty;
        return new DatabaseSettings(path, [_settings.ReplicaDefaults with { Name = scheme, Endpoint = new ReplicaEndpoint(string.Empty, replicaUrl, null) }]);
    }

    private void Forget(string path) => _databases.Remove(path);

    private static string ChildName(string path) =>
        "db-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..16];

    private sealed record StopAfterSync(string Path, IActorRef ReplyTo, bool Unregister, ulong? Txid);
}
