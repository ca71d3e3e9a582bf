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
/// One database path: drives capture cycles (WAL watcher events, the monitor interval as a backstop, coalesced), tells
/// every replica when a new local L0 file exists, tracks their positions, and prunes local L0 files every replica holds.
/// </summary>
public sealed class DatabaseActor : ReceiveActor, IWithTimers
{
    private readonly DatabaseSettings _settings;
    private readonly IActorRef _watcher;
    private readonly Func<ReplicaEndpoint, IReplicaClient> _clients;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IActorRef> _replicas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _positions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ulong> _notNeeded = new(StringComparer.Ordinal);
    // Replicas whose local files were dropped over max-local-ltx-bytes, with the full L0 file they go on from.
    private readonly Dictionary<string, ulong> _resyncing = new(StringComparer.Ordinal);
    private DateTimeOffset _lastBudgetCheck;
    // Listed by the encoder (on the I/O dispatcher) after each prune, so this actor does no file I/O for the budget.
    private IReadOnlyList<(ulong Txid, long Bytes)> _localFiles = [];
    private bool _overBudget;
    private readonly List<SyncWaiter> _syncWaiters = [];
    // When each TXID not yet held by every replica was captured, for each replica's lag.
    private readonly SortedList<ulong, DateTimeOffset> _capturedAt = [];
    private long _capturesStarted;
    private long _cycleWalBytes;
    private long _capturesFinished;
    private LocalLtxStore _store = null!;
    private IActorRef _walReader = ActorRefs.Nobody;
    private IActorRef _encoder = ActorRefs.Nobody;
    private ulong _txid;
    private bool _capturing;
    private bool _dirty;
    private bool _wroteThisCycle;
    private DatabaseHealth _health = DatabaseHealth.Initial;
    // The started hook fires once, when the first capture succeeded.
    private bool _announced;
    private DateTimeOffset? _lastSyncAt;
    private DateTimeOffset? _lastCheckAt;
    private DateTimeOffset _lastCaptureStart;

    public DatabaseActor(DatabaseSettings settings, IActorRef watcher, Func<ReplicaEndpoint, IReplicaClient> clients)
    {
        _settings = settings;
        _watcher = watcher;
        _clients = clients;

        Receive<Tick>(_ => RequestCapture());
        Receive<WalChanged>(_ =>
        {
            // Watcher events come per write. The first change after a quiet spell is captured at once; under load captures
            // are paced to the monitor interval, one TXID per sync as upstream, so a busy writer costs one cycle a second.
            var wait = _lastCaptureStart + CaptureGap - DateTimeOffset.UtcNow;
            if (wait <= TimeSpan.Zero)
            {
                RequestCapture();
            }
            else if (!Timers.IsTimerActive("paced"))
            {
                Timers.StartSingleTimer("paced", Tick.Instance, wait);
            }
        });
        Receive<WalReaderActor.Opened>(message =>
        {
            _txid = Math.Max(_txid, message.Txid ?? 0);
            Broadcast(new ReplicaActor.LtxAvailable(_txid));
            // Lists the local files (pruning nothing) so replicas that cannot continue from them are found now.
            _encoder.Tell(new LtxEncoderActor.PruneThrough(_store, 0));
        });
        Receive<WalReaderActor.L0Written>(message =>
        {
            _wroteThisCycle = true;
            _txid = message.Txid;
            _lastSyncAt = DateTimeOffset.UtcNow;
            _capturedAt[message.Txid] = _lastSyncAt.Value;
            _cycleWalBytes += message.WalBytes;
            Broadcast(new ReplicaActor.LtxAvailable(message.Txid, message.SourceChecksum, message.IsFull) { Hurry = AwaitedByReplicaWaiters });
        });
        Receive<WalReaderActor.PositionChecked>(message => Broadcast(new ReplicaActor.LtxAvailable(message.Txid, message.SourceChecksum)));
        Receive<WalReaderActor.CaptureDone>(message =>
        {
            _capturing = false;
            if (!_wroteThisCycle)
            {
                _watcher.Tell(new WalWatcherActor.Arm(_settings.Path + "-wal", Self));
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
                Context.System.EventStream.Publish(new Events.DatabaseReplicating(_settings.Path, _txid));
            }
            _lastCheckAt = DateTimeOffset.UtcNow;
            if (AwaitedByReplicaWaiters)
            {
                // Files still waiting out sync-interval go now: someone waits for the replicas to hold them.
                Broadcast(new ReplicaActor.LtxAvailable(_txid) { Hurry = true });
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
        Receive<ReplicaActor.Position>(message =>
        {
            _health = _health.ReplicaSucceeded(message.Replica);
            _positions[message.Replica] = message.Txid;
            _notNeeded[message.Replica] = message.LocalNotNeededThrough;
            if (_resyncing.TryGetValue(message.Replica, out var from) && message.Txid >= from)
            {
                _resyncing.Remove(message.Replica);
            }
            if (message.Txid > _txid && _store.List().LastOrDefault() < message.Txid)
            {
                _log.Warning("replica {0} holds TXID {1:x16}, beyond local state; continuing after it with a full L0 file", message.Replica, message.Txid);
                _txid = message.Txid;
                _walReader.Tell(new WalReaderActor.ContinueAfter(message.Txid));
            }
            if (_positions.Count == _replicas.Count)
            {
                EnforceLocalBudget();
                _encoder.Tell(new LtxEncoderActor.PruneThrough(_store, PrunableThrough()));
                var held = _positions.Values.Min();
                while (_capturedAt.Count > 0 && _capturedAt.Keys[0] <= held)
                {
                    _capturedAt.RemoveAt(0);
                }
            }
            CompleteSyncWaiters();
        });
        Receive<LtxEncoderActor.LocalFiles>(message =>
        {
            _localFiles = message.Files;
            ResyncReplicasWithoutTheirNextFile();
        });
        Receive<Sync>(message =>
        {
            // A capture already running may have read the WAL before this request: the waiter needs the next one.
            var deadline = message.Within is { } within ? DateTimeOffset.UtcNow + within : (DateTimeOffset?)null;
            _syncWaiters.Add(new SyncWaiter(Sender, message.WaitForReplicas, _txid, _capturesStarted + 1, _health.Failures, deadline));
            if (message.Within is { } bound)
            {
                // A final sync: replicas waiting out a backoff try again now, and whatever stands at the deadline is reported.
                Broadcast(new ReplicaActor.RetryNow());
                Timers.StartSingleTimer(("final-sync", deadline), new CheckSyncWaiters(), bound);
            }
            _dirty = true;
            RequestCapture();
        });
        Receive<CheckSyncWaiters>(_ => CompleteSyncWaiters());
        Receive<GetStatus>(_ => ReplyStatus());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private TimeSpan CaptureGap => _settings.MonitorInterval;

    private bool AwaitedByReplicaWaiters => _syncWaiters.Any(w => w.WaitForReplicas || w.Deadline is not null);

    public static Props Props(DatabaseSettings settings, IActorRef watcher, Func<ReplicaEndpoint, IReplicaClient> clients) =>
        Akka.Actor.Props.Create(() => new DatabaseActor(settings, watcher, clients));

    protected override void PreStart()
    {
        var directory = Path.GetDirectoryName(_settings.Path)!;
        if (!Directory.Exists(directory))
        {
            throw new DatabaseConfigurationException($"database directory does not exist: {directory}");
        }
        _store = new LocalLtxStore(_settings.ResolvedMetaPath);
        _encoder = Context.ActorOf(LtxEncoderActor.Props(), "ltx-encoder");
        _walReader = Context.ActorOf(WalReaderActor.Props(_settings, _encoder), "wal-reader");
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
            _replicas.Add(replica.Name, Context.ActorOf(ReplicaActor.Props(_settings.Path, replica, _store, _clients), "replica-" + Supervision.ActorNames.Escape(replica.Name)));
        }
        _watcher.Tell(new WalWatcherActor.Watch(_settings.Path + "-wal", Self));
        Timers.StartPeriodicTimer("monitor", Tick.Instance, _settings.MonitorInterval);
        Self.Tell(Tick.Instance);
    }

    // Local files stay until every replica has them, within max-local-ltx-bytes. Past it, files kept only so level 1
    // can merge from disk go first; then a replica holding back more than the budget lets go of them and continues
    // from a new full L0 file, so one stalled replica cannot fill the disk.
    private void EnforceLocalBudget()
    {
        var now = DateTimeOffset.UtcNow;
        if (now - _lastBudgetCheck < TimeSpan.FromSeconds(1))
        {
            return;
        }
        _lastBudgetCheck = now;
        var files = _localFiles;
        var size = files.Sum(f => f.Bytes);
        _overBudget = size > _settings.MaxLocalLtxBytes;
        if (!_overBudget)
        {
            return;
        }
        // A replica already going on from a full file holds back only what came after it (the full file alone may be
        // larger than the budget: dropping it again would never let the replica catch up).
        var stalled = _positions
            .Where(p => files.Where(f => _resyncing.TryGetValue(p.Key, out var full) ? f.Txid > full : f.Txid > p.Value).Sum(f => f.Bytes) > _settings.MaxLocalLtxBytes)
            .Select(p => p.Key)
            .ToList();
        foreach (var name in stalled)
        {
            _log.Warning("replica {0} is at TXID {1:x16} while local L0 files hold {2} bytes, over max-local-ltx-bytes ({3}): dropping the files it still needs; it continues from a new full L0 file (TXID {4:x16})",
                name, _positions[name], size, _settings.MaxLocalLtxBytes, _txid + 1);
        }
        Resync(stalled);
    }

    // A replica added to a database whose older local files are gone (an earlier replica had them all) would wait for
    // its next file forever: it goes on from a new full L0 file instead, as a replica over the budget does.
    private void ResyncReplicasWithoutTheirNextFile()
    {
        var missing = _positions
            .Where(p => p.Value < _txid && !_resyncing.ContainsKey(p.Key) && !_localFiles.Any(f => f.Txid == p.Value + 1))
            .Select(p => p.Key)
            .ToList();
        foreach (var name in missing)
        {
            _log.Warning("replica {0} is at TXID {1:x16} and the local L0 file after it is gone; it continues from a new full L0 file (TXID {2:x16})",
                name, _positions[name], _txid + 1);
        }
        Resync(missing);
    }

    private void Resync(IReadOnlyList<string> replicas)
    {
        foreach (var name in replicas)
        {
            _resyncing[name] = _txid + 1;
            _replicas[name].Tell(new ReplicaActor.ResyncFromSnapshot(_txid + 1));
        }
        if (replicas.Count > 0)
        {
            _walReader.Tell(new WalReaderActor.ContinueAfter(_txid));
            RequestCapture();
        }
    }

    private ulong PrunableThrough()
    {
        var floor = (_overBudget ? _positions : _notNeeded).Where(p => !_resyncing.ContainsKey(p.Key)).Select(p => p.Value).DefaultIfEmpty(_txid).Min();
        return _resyncing.Values.Select(full => full - 1).Append(floor).Min();
    }

    private void RequestCapture()
    {
        if (_capturing)
        {
            _dirty = true;
            return;
        }
        _capturing = true;
        _dirty = false;
        _wroteThisCycle = false;
        _lastCaptureStart = DateTimeOffset.UtcNow;
        _capturesStarted++;
        _walReader.Tell(new WalReaderActor.Capture());
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
        Context.System.EventStream.Publish(new Events.SyncObserved(_settings.Path, DateTimeOffset.UtcNow - _lastCaptureStart, _cycleWalBytes, _txid, error));
        _cycleWalBytes = 0;
    }

    protected override SupervisorStrategy SupervisorStrategy() => Supervision.RestartPublishingStrategy.Create(Context);

    private void CompleteSyncWaiters()
    {
        var replicated = _positions.Count < _replicas.Count ? 0 : _positions.Values.DefaultIfEmpty(_txid).Min();
        var now = DateTimeOffset.UtcNow;
        _syncWaiters.RemoveAll(waiter =>
        {
            var problem = waiter.Deadline is { } deadline
                ? _health.FinalSyncProblem(waiter.FailuresBefore) ?? (now >= deadline ? Behind(replicated) : null)
                : null;
            if (problem is null && (_capturesFinished < waiter.Capture || (waiter.WaitForReplicas && replicated < _txid)))
            {
                return false;
            }
            waiter.ReplyTo.Tell(new Synced(_settings.Path, _txid, replicated, _txid != waiter.TxidBefore) { Problem = problem });
            return true;
        });
    }

    // At a final sync's deadline: which replicas do not hold the captured state, and why if known.
    private string Behind(ulong replicated)
    {
        if (_capturesFinished == 0 || replicated >= _txid)
        {
            return $"no capture finished in time{(_health.Problem is { } problem ? ": " + problem : string.Empty)}";
        }
        return string.Join("; ", _replicas.Keys.Order(StringComparer.Ordinal)
            .Where(name => _positions.GetValueOrDefault(name) < _txid)
            .Select(name => $"replica {name} holds TXID {_positions.GetValueOrDefault(name):x16}, not {_txid:x16}"
                + (_health.FailingReplicas.TryGetValue(name, out var reason) ? ": " + reason : string.Empty)));
    }

    private void ReplyStatus()
    {
        var replyTo = Sender;
        var now = DateTimeOffset.UtcNow;
        var (path, state, txid, lastSyncAt, lastError, lastCheckAt) = (_settings.Path, _health.State, _txid, _lastSyncAt, _health.Problem, _lastCheckAt);
        var capturedAt = _capturedAt.ToList();
        var localBytes = _localFiles.Sum(f => f.Bytes);
        var asks = _replicas.Values.Select(r => r.Ask<ReplicaStatus>(new ReplicaActor.GetStatus(), TimeSpan.FromSeconds(5)));
        Task.WhenAll(asks).PipeTo(replyTo, success: replicas => new DatabaseStatus(
            path, state, txid == 0 ? null : txid, lastSyncAt, lastError,
            [.. replicas.Select(r => r with { Lag = Lag(r.Txid, txid, capturedAt, now) })])
        {
            LastCheckAt = lastCheckAt,
            MonitorInterval = _settings.MonitorInterval,
            LocalL0Bytes = localBytes,
        });
    }

    // How long the oldest commit the replica lacks has waited; zero when it holds everything captured.
    private static TimeSpan? Lag(ulong? held, ulong txid, List<KeyValuePair<ulong, DateTimeOffset>> capturedAt, DateTimeOffset now)
    {
        if (held is null)
        {
            return null;
        }
        if (held >= txid)
        {
            return TimeSpan.Zero;
        }
        var oldest = capturedAt.FirstOrDefault(c => c.Key > held);
        return oldest.Key == 0 ? null : now - oldest.Value;
    }

    public sealed record GetStatus;

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

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }
}
