using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Actors.Status;
using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Compaction;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Lease;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// One replica target of a database. Its position is what the replica itself lists (read at start, never stored
/// elsewhere); it uploads the next local L0 file after the previous one is acknowledged, so a slow or failing
/// replica holds back no other, and retries with backoff and jitter. Every write goes through the lease's fence; in a
/// cluster, a target whose lease another node holds leaves this replica a standby naming that owner (docs/cluster.md).
/// </summary>
public sealed class ReplicaActor : ReceiveActor, IWithTimers
{
    private readonly ReplicaSettings _settings;
    private readonly string _databasePath;
    private readonly LocalLtxStore _store;
    private readonly IReplicaClient _client;
    private readonly DrainingReplicaClient _drained;
    private readonly ReplicaOwnership _ownership;
    private readonly LeaseFence _fence = new(TimeProvider.System);
    private IActorRef _lease = ActorRefs.Nobody;
    private int _leaseRounds;
    private string? _owner;
    private readonly IActorRef _uploader;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ulong? _position;
    private ulong _localTxid;
    // Set when the local files this replica still needed were dropped (over max-local-ltx-bytes): it goes on from the
    // next full L0 file, uploaded also as a snapshot.
    private bool _resync;
    // The full L0 file a resync goes on from is at least this TXID (an older one may already be pruned).
    private ulong _resyncFrom;
    private ulong _newestFull;
    private bool _uploading;
    private UploadPacing _pacing;
    private int _failures;
    private object? _retrying;
    private string? _lastError;
    private DateTimeOffset? _lastUploadAt;
    private readonly List<IActorRef> _maintenance = [];
    private LevelCompactor? _compactor;
    private int _generation;
    // The database's checksums at recent TXIDs as SQLite read it (the capture's full check), for restore drills; a few
    // suffice, drills take the newest the replica holds.
    private readonly SortedList<ulong, ulong> _sourceChecksums = [];
    private RestoreDrillOutcome? _lastProven;
    private string? _lastDrillError;

    public ReplicaActor(string databasePath, ReplicaSettings settings, LocalLtxStore store, Func<ReplicaEndpoint, IReplicaClient> clients, ReplicaOwnership ownership)
    {
        _databasePath = databasePath;
        _ownership = ownership;
        _settings = settings;
        _store = store;
        _pacing = new UploadPacing(settings.SyncInterval);
        // This actor owns the client (its connection, session, temporary files) and disposes it when it stops or restarts.
        _drained = new DrainingReplicaClient(clients(settings.Endpoint), DrainTimeout);
        var client = _client = new FencedReplicaClient(_drained, _fence);
        // The uploader throws on failure and is restarted alone (default one-for-one); this actor retries with backoff.
        _uploader = Context.ActorOf(UploaderActor.Props(client, Self), "uploader");

        ReceiveAsync<ListReplica>(async _ =>
        {
            _retrying = null;
            try
            {
                var files = await client.ListAsync(0, CancellationToken.None);
                Self.Tell(await ResumeAsync(files));
            }
            catch (Exception e)
            {
                Self.Tell(new ListFailed(e.Message));
            }
        });
        Receive<Listed>(message =>
        {
            _position = message.Txid;
            StartMaintenance();
            _failures = 0;
            _lastError = null;
            _log.Info("replicating to type={0} name={1} location={2} txid={3:x16}", client.Type, settings.Name, client.DisplayLocation, message.Txid);
            if (message.Diverged)
            {
                // Any full file after what the replica holds continues it; the database actor has one captured. Said
                // before the position, so a final sync never counts the other lineage's TXID as holding this one's.
                _resync = true;
                _resyncFrom = Math.Max(_resyncFrom, message.Txid + 1);
                Context.Parent.Tell(new Diverged(settings.Name, message.Txid));
            }
            ReportPosition();
            UploadNext();
        });
        Receive<ReplicaLeaseActor.Held>(message =>
        {
            Context.System.EventStream.Publish(new Events.LeaseOwnershipChanged(databasePath, settings.Name, Acquired: true, message.Generation));
            Owned();
        });
        Receive<ReplicaLeaseActor.NotAvailable>(_ => Owned());
        Receive<ReplicaLeaseActor.Failed>(message =>
        {
            _lastError = message.Reason;
            Context.Parent.Tell(new Failed(_settings.Name, message.Reason));
        });
        Receive<ReplicaLeaseActor.HeldElsewhere>(message =>
        {
            _owner = message.Owner;
            if (ownership.Clustered)
            {
                // A standby is the design in a cluster, not a failure.
                _lastError = null;
                Context.Parent.Tell(new Standby(_settings.Name, message.Owner));
                return;
            }
            _lastError = $"waiting: {LeaseRecord.FileName} is held by {message.Owner} until {message.Until:yyyy-MM-ddTHH:mm:ssZ}";
            Context.Parent.Tell(new Failed(_settings.Name, _lastError));
        });
        Receive<ReplicaLeaseActor.Demoted>(message =>
        {
            _owner = message.PromotedTo;
            _lastError = message.Reason;
            Context.Parent.Tell(new Standby(_settings.Name, message.PromotedTo) { Demoted = true });
        });
        Receive<ReplicaLeaseActor.Lost>(_ =>
        {
            Context.System.EventStream.Publish(new Events.LeaseOwnershipChanged(databasePath, settings.Name, Acquired: false, 0));
            StopWriting();
            _lastError = "stopped: another writer took over the lease";
            Context.Parent.Tell(new LeaseLost(_settings.Name));
        });
        Receive<ReplicaLeaseActor.HandOver>(message => _lease.Forward(message));
        Receive<StandDown>(_ =>
        {
            // The database went back to standby: this replica lets its lease go and waits for it like any standby.
            StopWriting();
            Context.Stop(_lease);
            StartLease();
        });
        Receive<ListFailed>(message => Retry(new ListReplica(), message.Reason));
        Receive<LtxAvailable>(message =>
        {
            _localTxid = Math.Max(_localTxid, message.Txid);
            if (message.IsFull)
            {
                _newestFull = Math.Max(_newestFull, message.Txid);
            }
            RememberChecksum(message);
            UploadNext(message.Hurry);
        });
        Receive<UploaderActor.Uploaded>(message =>
        {
            _uploading = false;
            if (_position is null)
            {
                // Finished after this replica stopped writing; the next holder lists the replica afresh.
                return;
            }
            _resync &= message.Txid < _resyncFrom;
            _position = message.Txid;
            _compactor?.Note(0, message.Txid);
            _failures = 0;
            _lastError = null;
            _lastUploadAt = DateTimeOffset.UtcNow;
            ReportPosition();
            UploadNext();
        });
        Receive<UploaderActor.UploadFailed>(message =>
        {
            _uploading = false;
            Retry(new RetryUpload(), $"upload of {message.Txid:x16} failed: {message.Reason}");
        });
        Receive<RetryUpload>(_ =>
        {
            _retrying = null;
            UploadNext();
        });
        Receive<PacedRound>(_ => UploadNext());
        Receive<RetryNow>(_ =>
        {
            if (_retrying is { } pending && Timers.IsTimerActive("retry"))
            {
                Timers.Cancel("retry");
                Self.Tell(pending);
            }
        });
        Receive<ResyncFromSnapshot>(message =>
        {
            _resync = true;
            _resyncFrom = Math.Max(_resyncFrom, message.FromTxid);
            _lastError = "behind by more than max-local-ltx-bytes: continuing from the next full L0 file (uploaded as a snapshot too)";
            UploadNext();
        });
        Receive<CompactionActor.Compacted>(message =>
        {
            if (message.Level == 1)
            {
                ReportPosition();
            }
        });
        Receive<DrillTargetRequest>(_ =>
        {
            var held = _sourceChecksums.Keys.LastOrDefault(txid => txid <= (_position ?? 0));
            if (held == 0)
            {
                _log.Info("restore drill replica={0} skipped: the replica holds no TXID whose source checksum is known yet", settings.Name);
                return;
            }
            Sender.Tell(new DrillTarget(held, _sourceChecksums[held]));
        });
        Receive<DrillCompleted>(message =>
        {
            var outcome = message.Outcome;
            if (outcome.Passed)
            {
                _lastProven = outcome;
                _lastDrillError = null;
                _log.Info("restore drill passed replica={0} txid={1:x16} time={2:yyyy-MM-ddTHH:mm:ss.fffZ} duration={3}ms",
                    settings.Name, outcome.Txid, outcome.TxidTime, (long)outcome.Duration.TotalMilliseconds);
            }
            else
            {
                _lastDrillError = outcome.Problem;
                _log.Error("restore drill failed replica={0} txid={1:x16}: {2}", settings.Name, outcome.Txid, outcome.Problem);
            }
        });
        Receive<GetStatus>(_ => Sender.Tell(new ReplicaStatus(
            settings.Name, client.Type, client.DisplayLocation, _position, _lastUploadAt, _lastError)
        {
            LastProvenTxid = _lastProven?.Txid,
            LastProvenAt = _lastProven?.TxidTime,
            LastDrillError = _lastDrillError,
            Owner = _owner,
        }));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>How long a stopping replica lets its running writes and deletions finish before closing its client.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <remarks>On the I/O dispatcher: listing a replica and checking local files block.</remarks>
    public static Props Props(string databasePath, ReplicaSettings settings, LocalLtxStore store, Func<ReplicaEndpoint, IReplicaClient> clients, ReplicaOwnership ownership) =>
        Akka.Actor.Props.Create(() => new ReplicaActor(databasePath, settings, store, clients, ownership)).WithDispatcher(Dispatchers.Io);

    protected override SupervisorStrategy SupervisorStrategy() => Supervision.RestartPublishingStrategy.Create(Context);

    // Children (the uploader, maintenance) have stopped by now, but a write or deletion of theirs may still be running:
    // the client closes after it (bounded), within coordinated shutdown's 10 s for stopping the actors.
    protected override void PostStop()
    {
        var (log, name, drained) = (_log, _settings.Name, _drained);
        var closed = _client.DisposeAsync().AsTask();
        Task.WhenAny(closed, Task.Delay(DrainTimeout + TimeSpan.FromSeconds(1))).Wait();
        if (drained.InFlight > 0)
        {
            log.Warning("replica {0}: closed with {1} write(s) still running after {2}s; a store that keeps uploads cut short may hold a partial file",
                name, drained.InFlight, DrainTimeout.TotalSeconds);
        }
        closed.ContinueWith(
            t => log.Warning("replica {0}: closing its client failed: {1}", name, t.Exception?.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    // Uploads start once the lease is held, or the backend has none; the position is then read from the replica.
    protected override void PreStart() => StartLease();

    private void StartLease()
    {
        var node = _ownership.Clustered ? Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString() : null;
        var first = _leaseRounds++ == 0;
        _lease = Context.ActorOf(
            ReplicaLeaseActor.Props(_settings.Name, _settings.Endpoint.TargetKey(), _client, Storage.Replica.Lease.LeaseOwner.ThisProcess, node, _ownership.LeaseTimeToLive, _fence,
                first ? TimeSpan.Zero : _ownership.LeaseTimeToLive, new ReplicaLeaseActor.LeaseClaim($"{node ?? Environment.MachineName} {_databasePath}", _settings.ClaimsTarget,
                    _ownership.Clustered ? null : Storage.Capture.LocalStateLock.FormerHolder(_store.MetaPath))),
            first ? "lease" : $"lease-{_leaseRounds}");
    }

    private void Owned()
    {
        _owner = null;
        Context.Parent.Tell(new LeaseHeld(_settings.Name));
        Self.Tell(new ListReplica());
    }

    private void StopWriting()
    {
        _position = null;
        foreach (var child in _maintenance)
        {
            Context.Stop(child);
        }
        _maintenance.Clear();
    }

    // The newest replica file is compared with the local file of its TXID (ResumeDecision): held, uploaded again when a
    // crash cut its body short (a store that kept it would hold a broken file for good), or another lineage.
    private async Task<Listed> ResumeAsync(IReadOnlyList<LtxFileInfo> files)
    {
        var newest = files.Count == 0 ? null : files.MaxBy(f => f.MaxTxid);
        var local = newest is null ? null : LocalFile(_store.PathOf(newest.MaxTxid));
        var replicaHeader = ResumeDecision.NeedsReplicaHeader(newest, local is not null) ? await ReplicaHeaderAsync(newest!) : null;
        var decision = ResumeDecision.Decide(newest, local, replicaHeader);
        if (decision.Diverged)
        {
            _log.Warning("replica {0}: its {1} is not the local file of that TXID (local state created afresh, or the database restored before this start); continuing from a new full L0 file",
                _settings.Name, newest!.DisplayName);
        }
        else if (newest is not null && decision.Position < newest.MaxTxid)
        {
            _log.Warning("replica {0}: {1} is {2} bytes, the local file {3}; uploading it again", _settings.Name, newest.DisplayName, newest.Size, local?.Size);
        }
        return new Listed(decision.Position, decision.Diverged);
    }

    private static (long Size, Storage.Ltx.LtxHeader Header)? LocalFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, Storage.Ltx.LtxHeader.Size);
            var header = new byte[Storage.Ltx.LtxHeader.Size];
            stream.ReadExactly(header);
            return (stream.Length, Storage.Ltx.LtxHeader.Read(header));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or EndOfStreamException or Storage.Ltx.LtxFormatException)
        {
            return null;
        }
    }

    // Null when the file is too short to hold a header or holds no valid one: a body cut short.
    private async Task<Storage.Ltx.LtxHeader?> ReplicaHeaderAsync(LtxFileInfo file)
    {
        try
        {
            await using var stream = await _client.OpenAsync(file.Level, file.MinTxid, file.MaxTxid, 0, Storage.Ltx.LtxHeader.Size, CancellationToken.None);
            var header = new byte[Storage.Ltx.LtxHeader.Size];
            await stream.ReadExactlyAsync(header);
            return Storage.Ltx.LtxHeader.Read(header);
        }
        catch (Exception e) when (e is EndOfStreamException or Storage.Ltx.LtxFormatException)
        {
            return null;
        }
    }

    // Compaction, snapshots and retention write to the replica too, so they run only while this process may write
    // there (lease held, or none on this backend).
    private void StartMaintenance()
    {
        if (_maintenance.Count > 0)
        {
            return;
        }
        // Children stopped when a lease was lost may still be terminating: a later generation takes fresh names.
        var suffix = _generation++ == 0 ? string.Empty : $"-{_generation}";
        _compactor = new LevelCompactor(_client, _store, Path.Combine(_store.MetaPath, "tmp"));
        _compactor.Note(0, _position ?? 0);
        for (var i = 0; i < _settings.Levels.Count; i++)
        {
            _maintenance.Add(Context.ActorOf(CompactionActor.Props(_settings.Name, i + 1, _settings.Levels[i].Interval, _compactor), $"compaction-{i + 1}{suffix}"));
        }
        var snapshots = new SnapshotCompactor(_client, Path.Combine(_store.MetaPath, "tmp"));
        var retention = new RetentionEnforcer(_client, TimeProvider.System);
        _maintenance.Add(Context.ActorOf(
            SnapshotActor.Props(
                _databasePath, _settings.Name, _settings.SnapshotInterval, _settings.RetentionEnabled ? _settings.SnapshotRetention : null, snapshots, retention, _compactor),
            "snapshot" + suffix));
        if (_settings.DrillInterval is { } drills)
        {
            var scratch = Path.Combine(_store.MetaPath, "drill", Self.Path.Name + ".db");
            _maintenance.Add(Context.ActorOf(RestoreDrillActor.Props(_client, drills, scratch), "drill" + suffix));
        }
        if (_settings.RetentionEnabled && LevelRetentions() is { Count: > 0 } levels)
        {
            _maintenance.Add(Context.ActorOf(
                RetentionActor.Props(_settings.Name, levels, _settings.L0RetentionCheckInterval, retention, _compactor), "retention" + suffix));
        }
    }

    // Local L0 copies stay until level 1 has merged them, so level 1 reads them from disk rather than the replica.
    private void ReportPosition()
    {
        var position = _position ?? 0;
        var merged = _maintenance.Count > 0 && _settings.Levels.Count > 0 ? Math.Min(position, _compactor?.Known(1) ?? 0) : position;
        Context.Parent.Tell(new Position(_settings.Name, position, merged));
    }

    private List<int> HigherThan(int level) =>
        [.. Enumerable.Range(level + 1, Math.Max(0, _settings.Levels.Count - level)), LtxFileInfo.SnapshotLevel];

    private void RememberChecksum(LtxAvailable message)
    {
        if (_settings.DrillInterval is null || message.SourceChecksum is not { } checksum)
        {
            return;
        }
        _sourceChecksums[message.Txid] = checksum;
        while (_sourceChecksums.Count > 64)
        {
            _sourceChecksums.RemoveAt(0);
        }
    }

    // L0 goes once level 1 covers it (upstream); a level with its own retention once the next level (or, at the top, a snapshot) does.
    private List<RetentionActor.LevelRetention> LevelRetentions()
    {
        var levels = new List<RetentionActor.LevelRetention>();
        if (_settings.L0Retention > TimeSpan.Zero && _settings.Levels.Count > 0)
        {
            levels.Add(new RetentionActor.LevelRetention(0, _settings.L0Retention, [1], HigherThan(0)));
        }
        for (var i = 0; i < _settings.Levels.Count; i++)
        {
            if (_settings.Levels[i].Retention is { } kept)
            {
                // The next level must have merged a file before it goes (a snapshot covering it is not enough: the next
                // level reads it); the top level's files go once a snapshot covers them.
                int[] covering = i + 1 < _settings.Levels.Count ? [i + 2] : [LtxFileInfo.SnapshotLevel];
                levels.Add(new RetentionActor.LevelRetention(i + 1, kept, covering, HigherThan(i + 1)));
            }
        }
        return levels;
    }

    private void UploadNext(bool hurry = false)
    {
        if (_uploading || _retrying is not null || _position is not { } position)
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        (_pacing, var decision) = _pacing.Next(now, position, _localTxid, hurry);
        if (decision == UploadPacing.Decision.Idle)
        {
            return;
        }
        if (decision.WaitUntil is { } due)
        {
            if (!Timers.IsTimerActive("paced"))
            {
                Timers.StartSingleTimer("paced", new PacedRound(), due - now);
            }
            return;
        }
        if (_resync)
        {
            // Resyncing lasts until the full file is uploaded: a failed attempt tries the newest full file again.
            if (_newestFull > position && _newestFull >= _resyncFrom && File.Exists(_store.PathOf(_newestFull)))
            {
                _uploading = true;
                _log.Warning("replica {0}: continuing at TXID {1:x16} from a full L0 file, uploaded also as a snapshot; TXIDs {2:x16}-{3:x16} are not in this replica",
                    _settings.Name, _newestFull, position + 1, _newestFull - 1);
                _uploader.Tell(new UploaderActor.Upload(_newestFull, _store.PathOf(_newestFull), AsSnapshot: true));
            }
            return;
        }
        var next = position + 1;
        var path = _store.PathOf(next);
        if (!File.Exists(path))
        {
            _lastError = $"local L0 file {next:x16} is missing; waiting for it";
            return;
        }
        _uploading = true;
        _uploader.Tell(new UploaderActor.Upload(next, path));
    }

    private void Retry(object message, string reason)
    {
        _failures++;
        _lastError = reason;
        var delay = _pacing.RetryDelay(_failures) * (0.8 + Random.Shared.NextDouble() * 0.4);
        _log.Warning("replica {0}: {1}; retrying in {2:0.0}s", _settings.Name, reason, delay.TotalSeconds);
        Context.System.EventStream.Publish(new Events.ReplicaErrorObserved(_settings.Name, reason));
        Context.Parent.Tell(new Failed(_settings.Name, reason));
        _retrying = message;
        Timers.StartSingleTimer("retry", message, delay);
    }

    /// <summary>
    /// A new local L0 file exists up to this TXID; the database's checksum then as SQLite read it, when the capture's full
    /// check ran. <see cref="Hurry"/>: someone waits for the replicas (sync -wait, a final sync), so sync-interval does not.
    /// </summary>
    public sealed record LtxAvailable(ulong Txid, ulong? SourceChecksum = null, bool IsFull = false)
    {
        public bool Hurry { get; init; }
    }

    /// <summary>To the database actor: an attempt failed (it is retried with backoff); a <see cref="Position"/> means one succeeded.</summary>
    public sealed record Failed(string Replica, string Reason);

    /// <summary>From the database actor, at a final sync: a retry waiting out its backoff runs now.</summary>
    public sealed record RetryNow;

    /// <summary>From the database actor: the local files this replica still needed are gone; go on from the next full one.</summary>
    public sealed record ResyncFromSnapshot(ulong FromTxid);

    /// <summary>The replica holds <paramref name="Txid"/> from another lineage: it needs a new full file after the local TXID.</summary>
    public sealed record Diverged(string Replica, ulong Txid);

    /// <summary>To the database actor: this process may write to the replica (its lease is held, or the backend has none).</summary>
    public sealed record LeaseHeld(string Replica);

    /// <summary>To the database actor: another node holds the replica's lease; this replica waits for it.</summary>
    public sealed record Standby(string Replica, string Owner)
    {
        /// <summary>The owner is a promoted standby: this database is demoted, not waiting its turn.</summary>
        public bool Demoted { get; init; }
    }

    /// <summary>To the database actor: the lease was taken over after it ran out; nothing more is written.</summary>
    public sealed record LeaseLost(string Replica);

    /// <summary>From the database actor in a cluster: it stopped capturing; release the lease and wait for it again.</summary>
    public sealed record StandDown;

    /// <summary>From the drill actor: which TXID to prove next.</summary>
    public sealed record DrillTargetRequest;

    public sealed record DrillTarget(ulong Txid, ulong SourceChecksum);

    public sealed record DrillCompleted(RestoreDrillOutcome Outcome);

    /// <summary>Where the replica now stands, and through which TXID it needs no local L0 file any more; sent to the database actor.</summary>
    public sealed record Position(string Replica, ulong Txid, ulong LocalNotNeededThrough);

    public sealed record GetStatus;

    private sealed record ListReplica;

    private sealed record Listed(ulong Txid, bool Diverged);

    private sealed record ListFailed(string Reason);

    private sealed record RetryUpload;

    private sealed record PacedRound;
}
