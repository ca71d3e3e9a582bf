using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Replication;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Actors.Status;
using LitestreamActors.Actors.Watching;
using LitestreamActors.Storage;
using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// One database path: drives capture cycles (WAL watcher events, the WAL reader's check each monitor interval as a
/// backstop, coalesced), tells every replica when a new local L0 file exists, and applies what <see cref="ReplicationState"/> decides from their
/// positions: which local L0 files go, which replica goes on from a full file. In a cluster it starts as a standby and
/// captures only while this node holds every replica's lease and the local state folder's lock; losing a lease sends it
/// back to standby (docs/cluster.md, "One writer per replica").
/// </summary>
public sealed class DatabaseActor : ReceiveActor, IWithTimers
{
    private readonly DatabaseSettings _settings;
    private readonly IActorRef _watcher;
    private readonly Func<ReplicaEndpoint, IReplicaClient> _clients;
    private readonly ReplicaOwnership _ownership;
    private readonly HashSet<string> _leased = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _standbyOwners = new(StringComparer.Ordinal);
    private bool _demoted;
    private bool _active;
    private int _activations;
    private LocalStateLock? _localLock;
    // A lost lease stops the reader and the encoder; the local folder is let go only once both have stopped, so the
    // next owner never finds a file of ours still being published or our page state still being written.
    private readonly HashSet<IActorRef> _stoppingCapture = [];
    private LocalStateLock? _lockAfterCaptureStops;
    private string? _localLockProblem;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _replicas = new(StringComparer.Ordinal);
    private ReplicationState _replication;
    private readonly List<SyncWaiter> _syncWaiters = [];
    private long _capturesStarted;
    private long _cycleWalBytes;
    private long _capturesFinished;
    private LocalLtxStore _store = null!;
    private IActorRef _walReader = ActorRefs.Nobody;
    private IActorRef _encoder = ActorRefs.Nobody;
    private bool _capturing;
    private bool _dirty;
    private bool _wroteThisCycle;
    private DatabaseHealth _health = DatabaseHealth.Initial;
    // The started hook fires once, when the first capture succeeded.
    private bool _announced;
    private DateTimeOffset? _lastSyncAt;
    private readonly CaptureHeartbeat _heartbeat = new();
    private DateTimeOffset _lastCaptureStart;
    private CapturePacing _pacing;
    // Whether the watcher (or a recheck after it) asked for the next capture, and for the one running.
    private bool _askedByWatcher;
    // The watcher tells us of the next WAL change (it does once per arming): no need to arm it again each idle tick.
    private bool _watchArmed;
    // A sync waits for the next capture: it asks SQLite even if the files look as quiet as before (docs/capture.md).
    private bool _syncRequested;
    private bool _captureAskedByWatcher;

    public DatabaseActor(DatabaseSettings settings, IActorRef watcher, Func<ReplicaEndpoint, IReplicaClient> clients, ReplicaOwnership ownership)
    {
        _settings = settings;
        _watcher = watcher;
        _clients = clients;
        _ownership = ownership;
        _replication = new ReplicationState(settings.MaxLocalLtxBytes);
        _pacing = new CapturePacing(settings.MonitorInterval);

        Receive<Tick>(_ => RequestCapture());
        Receive<WalReaderActor.CaptureDue>(_ => RequestCapture());
        Receive<Recheck>(_ =>
        {
            _askedByWatcher = true;
            CaptureWhenPaced();
        });
        Receive<WalChanged>(_ =>
        {
            // Watcher events come per write. The first change after a quiet spell is captured at once; under load captures
            // are paced to the monitor interval, one TXID per sync as upstream, so a busy writer costs one cycle a second.
            _watchArmed = false;
            _pacing = _pacing.Changed();
            _askedByWatcher = _pacing.WaitFor(DateTimeOffset.UtcNow) <= TimeSpan.Zero;
            CaptureWhenPaced();
        });
        Receive<WalReaderActor.Opened>(message =>
        {
            if (!_active)
            {
                return;
            }
            _replication = _replication.Opened(message.Txid ?? 0, fresh: message.Txid is null);
            Broadcast(new ReplicaActor.LtxAvailable(_replication.Txid));
            // Replicas that cannot continue from the local files are found now.
            Apply(_replication.Listed(_store.Sizes()));
        });
        Receive<WalReaderActor.L0Written>(message =>
        {
            if (!_active)
            {
                return;
            }
            _wroteThisCycle = true;
            _pacing = _pacing.Wrote(_lastCaptureStart);
            _lastSyncAt = DateTimeOffset.UtcNow;
            _replication = _replication.Captured(message.Txid, _lastSyncAt.Value);
            _cycleWalBytes += message.WalBytes;
            Broadcast(new ReplicaActor.LtxAvailable(message.Txid, message.SourceChecksum, message.IsFull) { Hurry = AwaitedByReplicaWaiters });
        });
        Receive<WalReaderActor.PositionChecked>(message => Broadcast(new ReplicaActor.LtxAvailable(message.Txid, message.SourceChecksum)));
        Receive<WalReaderActor.CaptureDone>(message =>
        {
            if (!_active)
            {
                return;
            }
            _capturing = false;
            if (!_wroteThisCycle)
            {
                if (!_watchArmed)
                {
                    _watcher.Tell(new WalWatcherActor.Arm(_settings.Path + "-wal", Self));
                    _watchArmed = true;
                }
                if (_captureAskedByWatcher)
                {
                    (_pacing, var recheck) = _pacing.FoundNothing();
                    if (recheck is { } delay)
                    {
                        // Not the scheduler: its 100 ms tick (hocon) would round a 5 ms recheck up to a tenth of a second.
                        Task.Delay(delay).ContinueWith(_ => Recheck.Instance, TaskScheduler.Default).PipeTo(Self);
                    }
                }
            }
            if (message.Waiting is { } waiting && !_health.Waiting)
            {
                _log.Info("waiting for the database file to appear path={0}", _settings.Path);
            }
            var wasReplicating = _health.Started && _health.CaptureProblem is null;
            _health = message.Waiting is { } reason ? _health.CaptureWaiting(reason) : _health.CaptureSucceeded();
            if (message.Waiting is null && !wasReplicating && !_announced)
            {
                _announced = true;
                Context.System.EventStream.Publish(new Events.DatabaseReplicating(_settings.Path, _replication.Txid));
            }
            _heartbeat.Beat(DateTimeOffset.UtcNow);
            if (AwaitedByReplicaWaiters)
            {
                // Files still waiting out sync-interval go now: someone waits for the replicas to hold them.
                Broadcast(new ReplicaActor.LtxAvailable(_replication.Txid) { Hurry = true });
            }
            PublishCycle(error: null);
            _capturesFinished = _capturesStarted;
            CompleteSyncWaiters();
            if (_dirty)
            {
                RequestCapture();
            }
        });
        Receive<WalReaderActor.CaptureFailed>(message =>
        {
            if (!_active)
            {
                return;
            }
            _capturing = false;
            _health = _health.CaptureFailed(message.Reason);
            PublishCycle(error: message.Reason);
            _capturesFinished = _capturesStarted;
            CompleteSyncWaiters();
        });
        Receive<ReplicaActor.Failed>(message =>
        {
            _health = _health.ReplicaFailed(message.Replica, message.Reason);
            CompleteSyncWaiters();
        });
        Receive<ReplicaActor.Diverged>(message => Apply(_replication.Diverged(message.Replica, message.Txid)));
        Receive<ReplicaActor.Position>(message =>
        {
            _health = _health.ReplicaSucceeded(message.Replica);
            // Only a replica ahead of the captured state needs the local folder read.
            var newestLocal = message.Txid > _replication.Txid ? _store.List().LastOrDefault() : 0;
            Apply(_replication.Reported(message.Replica, message.Txid, message.LocalNotNeededThrough, newestLocal, DateTimeOffset.UtcNow));
            CompleteSyncWaiters();
        });
        Receive<Terminated>(message =>
        {
            if (_stoppingCapture.Remove(message.ActorRef))
            {
                if (_stoppingCapture.Count == 0)
                {
                    _lockAfterCaptureStops?.Dispose();
                    _lockAfterCaptureStops = null;
                }
                return;
            }
            // A replica that stopped for good (its restarts exhausted) must not hold local files back forever.
            var name = _replicas.FirstOrDefault(r => r.Value.Equals(message.ActorRef)).Key;
            if (name is not null)
            {
                _replicas.Remove(name);
                Apply(_replication.WithoutReplica(name));
            }
        });
        Receive<Sync>(message =>
        {
            if (!_active && _standbyOwners.Count > 0)
            {
                // A standby captures nothing: another node owns the replicas and holds what this database committed.
                // Before that is known (the leases still being asked for) the waiter waits like any other.
                Sender.Tell(new Synced(_settings.Path, 0, 0, Changed: false));
                return;
            }
            // A capture already running may have read the WAL before this request: the waiter needs the next one.
            var deadline = message.Within is { } within ? DateTimeOffset.UtcNow + within : (DateTimeOffset?)null;
            _syncWaiters.Add(new SyncWaiter(Sender, message.WaitForReplicas, _replication.Txid, _capturesStarted + 1, _health.Failures, deadline));
            if (message.Within is { } bound)
            {
                // A final sync: replicas waiting out a backoff try again now, and whatever stands at the deadline is reported.
                Broadcast(new ReplicaActor.RetryNow());
                Timers.StartSingleTimer(("final-sync", deadline), new CheckSyncWaiters(), bound);
            }
            _dirty = true;
            _syncRequested = true;
            RequestCapture();
        });
        Receive<CheckSyncWaiters>(_ => CompleteSyncWaiters());
        Receive<ReplicaActor.LeaseHeld>(message =>
        {
            _leased.Add(message.Replica);
            _standbyOwners.Remove(message.Replica);
            TryActivate();
        });
        Receive<ReplicaActor.Standby>(message =>
        {
            _leased.Remove(message.Replica);
            _standbyOwners[message.Replica] = message.Owner;
            _demoted = message.Demoted;
            if (!_active)
            {
                foreach (var waiter in _syncWaiters)
                {
                    waiter.ReplyTo.Tell(new Synced(_settings.Path, 0, 0, Changed: false));
                }
                _syncWaiters.Clear();
            }
            CompleteSyncWaiters();
        });
        Receive<ReplicaActor.LeaseLost>(message =>
        {
            _leased.Remove(message.Replica);
            _standbyOwners[message.Replica] = "another node (it took the lease over)";
            if (_ownership.Clustered && _active)
            {
                Deactivate(message.Replica);
            }
        });
        Receive<HandOver>(message =>
        {
            // Every replica lets its lease go to the promoted standby; the answer waits for all of them.
            var asks = _replicas.Values.Select(r => r.Ask<ReplicaLeaseActor.HandedOver>(new ReplicaLeaseActor.HandOver(message.PromotedTo), TimeSpan.FromSeconds(15)));
            Task.WhenAll(asks).PipeTo(Sender, success: handed => new HandedOver(handed.Count(h => h.Held)), failure: e => new Akka.Actor.Status.Failure(e));
        });
        Receive<TryLocalLock>(_ => TryActivate());
        Receive<GetStatus>(_ => ReplyStatus());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private bool AwaitedByReplicaWaiters => _syncWaiters.Any(w => w.WaitForReplicas || w.Deadline is not null);

    /// <remarks>On the I/O dispatcher: it owns the local folder, listing and pruning its L0 files.</remarks>
    public static Props Props(DatabaseSettings settings, IActorRef watcher, Func<ReplicaEndpoint, IReplicaClient> clients, ReplicaOwnership ownership) =>
        Akka.Actor.Props.Create(() => new DatabaseActor(settings, watcher, clients, ownership)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart()
    {
        var directory = Path.GetDirectoryName(_settings.Path)!;
        if (!Directory.Exists(directory))
        {
            throw new DatabaseConfigurationException($"database directory does not exist: {directory}");
        }
        _store = new LocalLtxStore(_settings.ResolvedMetaPath);
        if (!_ownership.Clustered && !LocalStateLock.IsHeldHere(_settings.ResolvedMetaPath))
        {
            // Databases of the config are locked by the command before the node starts; those registered or found in a
            // watched folder here. Before the replicas start: the lock names the run before this one (docs/cluster.md).
            try
            {
                _localLock = LocalStateLock.Acquire(_settings.ResolvedMetaPath, _settings.Path);
            }
            catch (StorageException e)
            {
                throw new DatabaseConfigurationException(e.Message);
            }
        }
        foreach (var replica in _settings.Replicas)
        {
            try
            {
                ReplicaClientFactory.Locate(replica.Endpoint);
            }
            catch (StorageException e)
            {
                throw new DatabaseConfigurationException($"replica {replica.Name}: {e.Message}");
            }
            var child = Context.ActorOf(ReplicaActor.Props(_settings.Path, replica, _store, _clients, _ownership), "replica-" + Supervision.ActorNames.Escape(replica.Name));
            Context.Watch(child);
            _replicas.Add(replica.Name, child);
            _replication = _replication.WithReplica(replica.Name);
        }
        if (!_ownership.Clustered)
        {
            Activate();
        }
        else
        {
            _log.Info("standby path={0}: capturing once this node holds the lease of every replica", _settings.Path);
        }
        Context.Parent.Tell(new Running(_settings.Path));
    }

    protected override void PostStop()
    {
        _localLock?.Dispose();
        _lockAfterCaptureStops?.Dispose();
    }

    private void Activate()
    {
        _active = true;
        var suffix = _activations++ == 0 ? string.Empty : $"-{_activations}";
        _encoder = Context.ActorOf(LtxEncoderActor.Props(), "ltx-encoder" + suffix);
        _walReader = Context.ActorOf(WalReaderActor.Props(_settings, _encoder, _heartbeat), "wal-reader" + suffix);
        _watcher.Tell(new WalWatcherActor.Watch(_settings.Path + "-wal", Self));
        _watchArmed = true;
        Self.Tell(Tick.Instance);
    }

    // In a cluster: the local state folder may still be locked by the previous owner's process (paused, or on its way
    // out); its lease has run out, so it writes nothing, and this node waits for the folder.
    private void TryActivate()
    {
        if (_active || !_ownership.Clustered || _leased.Count < _replicas.Count)
        {
            return;
        }
        if (_lockAfterCaptureStops is not null)
        {
            // The capture of the lease lost before has not stopped yet: the folder is still ours to let go.
            Timers.StartSingleTimer("local-lock", new TryLocalLock(), TimeSpan.FromSeconds(2));
            return;
        }
        try
        {
            _localLock = LocalStateLock.Acquire(_settings.ResolvedMetaPath, _settings.Path);
        }
        catch (StorageException e)
        {
            if (e.Message != _localLockProblem)
            {
                _localLockProblem = e.Message;
                _log.Warning("standby path={0}: holding every lease, waiting for the local state: {1}", _settings.Path, e.Message);
            }
            Timers.StartSingleTimer("local-lock", new TryLocalLock(), TimeSpan.FromSeconds(2));
            return;
        }
        _localLockProblem = null;
        _log.Info("owner path={0}: holding every replica's lease; capturing", _settings.Path);
        Activate();
    }

    // Everything captured but not yet uploaded stays in the local folder for the next owner, as after a restart.
    private void Deactivate(string replica)
    {
        _log.Warning("standby path={0}: replica {1} lost its lease to another node; stopped capturing and uploading", _settings.Path, replica);
        _active = false;
        _capturing = false;
        foreach (var child in new[] { _walReader, _encoder })
        {
            Context.Watch(child);
            _stoppingCapture.Add(child);
            Context.Stop(child);
        }
        _walReader = _encoder = ActorRefs.Nobody;
        Timers.Cancel("paced");
        _lockAfterCaptureStops = _localLock;
        _localLock = null;
        _leased.Clear();
        _replication = _replicas.Keys.Aggregate(new ReplicationState(_settings.MaxLocalLtxBytes), (state, name) => state.WithReplica(name));
        Broadcast(new ReplicaActor.StandDown());
    }

    private void Apply((ReplicationState State, IReadOnlyList<ReplicationEffect> Effects) transition)
    {
        _replication = transition.State;
        foreach (var effect in transition.Effects)
        {
            switch (effect)
            {
                case ReplicationEffect.Warn warn:
                    _log.Warning(warn.Message);
                    break;
                case ReplicationEffect.Resync resync:
                    _replicas[resync.Replica].Tell(new ReplicaActor.ResyncFromSnapshot(resync.FromTxid));
                    break;
                case ReplicationEffect.ContinueAfter next:
                    _walReader.Tell(new WalReaderActor.ContinueAfter(next.Txid));
                    // What the database holds is not captured after the replica's TXID until the next capture: a waiter
                    // (a final sync) must see that one land, not the replica's old TXID.
                    for (var i = 0; i < _syncWaiters.Count; i++)
                    {
                        _syncWaiters[i] = _syncWaiters[i] with { Capture = _capturesStarted + 1 };
                    }
                    if (next.CaptureNow)
                    {
                        RequestCapture();
                    }
                    break;
                case ReplicationEffect.Prune prune:
                    // This actor owns the local folder: it deletes what every replica holds.
                    if (prune.Through > 0)
                    {
                        Storage.CrashSwitch.At(Storage.CrashSwitch.BeforePrune);
                    }
                    _store.DeleteThrough(prune.Through);
                    Apply(_replication.Listed(_store.Sizes()));
                    break;
            }
        }
    }

    private void CaptureWhenPaced()
    {
        var wait = _pacing.WaitFor(DateTimeOffset.UtcNow);
        if (wait <= TimeSpan.Zero)
        {
            RequestCapture();
        }
        else if (!Timers.IsTimerActive("paced"))
        {
            Timers.StartSingleTimer("paced", Tick.Instance, wait);
        }
    }

    private void RequestCapture()
    {
        if (!_active)
        {
            return;
        }
        if (_capturing)
        {
            _dirty = true;
            return;
        }
        _capturing = true;
        _captureAskedByWatcher = _askedByWatcher;
        _askedByWatcher = false;
        _dirty = false;
        _wroteThisCycle = false;
        _lastCaptureStart = DateTimeOffset.UtcNow;
        _capturesStarted++;
        _walReader.Tell(new WalReaderActor.Capture(_syncRequested));
        _syncRequested = false;
    }

    private void Broadcast(object message)
    {
        foreach (var replica in _replicas.Values)
        {
            replica.Tell(message);
        }
    }

    private void PublishCycle(string? error)
    {
        Context.System.EventStream.Publish(new Events.SyncObserved(_settings.Path, DateTimeOffset.UtcNow - _lastCaptureStart, _cycleWalBytes, _replication.Txid, error));
        _cycleWalBytes = 0;
    }

    protected override SupervisorStrategy SupervisorStrategy() => Supervision.RestartPublishingStrategy.Create(Context);

    private void CompleteSyncWaiters()
    {
        if (_syncWaiters.Count == 0)
        {
            return;
        }
        var (replicated, txid) = (_replication.Replicated, _replication.Txid);
        var now = DateTimeOffset.UtcNow;
        _syncWaiters.RemoveAll(waiter =>
        {
            var problem = waiter.Deadline is { } deadline
                ? _health.FinalSyncProblem(waiter.FailuresBefore) ?? (now >= deadline ? Behind(replicated) : null)
                : null;
            if (problem is null && (_capturesFinished < waiter.Capture || (waiter.WaitForReplicas && replicated < txid)))
            {
                return false;
            }
            waiter.ReplyTo.Tell(new Synced(_settings.Path, txid, replicated, txid != waiter.TxidBefore) { Problem = problem });
            return true;
        });
    }

    // At a final sync's deadline: which replicas do not hold the captured state, and why if known.
    private string Behind(ulong replicated)
    {
        var txid = _replication.Txid;
        if (_capturesFinished == 0 || replicated >= txid)
        {
            return $"no capture finished in time{(_health.Problem is { } problem ? ": " + problem : string.Empty)}";
        }
        return string.Join("; ", _replication.Replicas
            .Where(r => (r.Value.Position ?? 0) < txid)
            .Select(r => $"replica {r.Key} holds TXID {r.Value.Position ?? 0:x16}, not {txid:x16}"
                + (_health.FailingReplicas.TryGetValue(r.Key, out var reason) ? ": " + reason : string.Empty)));
    }

    private void ReplyStatus()
    {
        var replyTo = Sender;
        var now = DateTimeOffset.UtcNow;
        var state = _active ? _health.State : _demoted ? Demoted : Standby;
        var (path, replication, lastSyncAt, lastError, lastCheckAt) = (_settings.Path, _replication, _lastSyncAt, _health.Problem, _heartbeat.Last);
        var asks = _replicas.Values.Select(r => r.Ask<ReplicaStatus>(new ReplicaActor.GetStatus(), TimeSpan.FromSeconds(5)));
        Task.WhenAll(asks).PipeTo(replyTo, success: replicas => new DatabaseStatus(
            path, state, replication.Txid == 0 ? null : replication.Txid, lastSyncAt, lastError,
            [.. replicas.Select(r => r with { Lag = replication.Lag(r.Txid, now) })])
        {
            LastCheckAt = lastCheckAt,
            MonitorInterval = _settings.MonitorInterval,
            LocalL0Bytes = replication.LocalBytes,
        });
    }

    /// <summary>The state of a database in a cluster while another node owns its replicas.</summary>
    public const string Standby = "standby";

    /// <summary>The state of a database whose replica a promoted standby writes now (docs/cluster.md, "Warm standbys").</summary>
    public const string Demoted = "demoted";

    public sealed record GetStatus;

    /// <summary>A standby is promoted to <see cref="PromotedTo"/> (node and path): every replica hands its lease over; replies <see cref="HandedOver"/>.</summary>
    public sealed record HandOver(string PromotedTo);

    /// <summary>How many replicas' leases this database held and handed over.</summary>
    public sealed record HandedOver(int Replicas);

    /// <summary>To the supervisor: the database's actors exist (its capture and replicas report on their own).</summary>
    public sealed record Running(string Path);

    /// <summary>
    /// Capture everything committed so far; with <see cref="WaitForReplicas"/>, also wait until every replica holds it.
    /// With <see cref="Within"/> (a final sync), answer with the problem as soon as a failure makes it impossible, or
    /// at that deadline.
    /// </summary>
    public sealed record Sync(bool WaitForReplicas, TimeSpan? Within = null);

    /// <summary><see cref="Changed"/>: the capture found new commits since the request; <see cref="Problem"/>: why a final sync did not deliver.</summary>
    public sealed record Synced(string Path, ulong Txid, ulong ReplicatedTxid, bool Changed)
    {
        public string? Problem { get; init; }
    }

    private sealed record SyncWaiter(IActorRef ReplyTo, bool WaitForReplicas, ulong TxidBefore, long Capture, long FailuresBefore, DateTimeOffset? Deadline);

    private sealed record CheckSyncWaiters;

    private sealed record TryLocalLock;

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record Recheck
    {
        public static Recheck Instance { get; } = new();
    }
}
