using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Actors.Status;
using LitestreamActors.Storage;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Actors.Standby;

/// <summary>
/// A warm standby (docs/cluster.md, "Warm standbys"): restores its path from the replica once, then applies each new
/// file as it appears (the <c>restore -f</c> machinery, the TXID recorded beside the file so a restart resumes), and on
/// <see cref="Promote"/> applies the last files and hands the path back as a database of its own.
/// </summary>
public sealed partial class StandbyActor : ReceiveActor, IWithTimers
{
    public const string Following = "following";
    public const string Restoring = "restoring";

    private readonly StandbySettings _settings;
    private readonly IReplicaClient _client;
    private readonly RestoreFollower _follower;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly bool _clustered;
    private string? _writer;
    private ulong? _writerTxid;
    private ulong? _txid;
    private DateTimeOffset? _caughtUpAt;
    private DateTimeOffset? _appliedAt;
    private string? _problem;

    public StandbyActor(StandbySettings settings, Func<ReplicaEndpoint, IReplicaClient> clients, bool clustered)
    {
        _clustered = clustered;
        _settings = settings;
        _client = clients(settings.Replica.Endpoint);
        _follower = new RestoreFollower(_client, settings.Path);
        ReceiveAsync<Poll>(async _ =>
        {
            await CatchUpAsync();
            Timers.StartSingleTimer("poll", new Poll(), settings.PollInterval);
            if (_clustered)
            {
                Context.System.ActorSelection("/user/catalog").Tell(new Cluster.CatalogActor.GetCatalog());
            }
        });
        Receive<Cluster.CatalogActor.Catalog>(catalog =>
        {
            // The replica's writer as the catalog names it now; kept when its rows go with it.
            var writer = catalog.Rows.FirstOrDefault(r => r.Type == _client.Type && r.Target == _client.DisplayLocation && r.State == Cluster.CatalogRow.Running);
            _writerTxid = writer?.LocalTxid;
            if (writer is not null && writer.Owner != _writer)
            {
                _writer = writer.Owner;
                _log.Info("standby {0}: the replica's writer is {1}{2}", settings.Path, _writer, settings.AutoPromote ? "; promoted automatically when it leaves the cluster" : string.Empty);
            }
        });
        Receive<Akka.Cluster.ClusterEvent.MemberRemoved>(removed =>
        {
            if (removed.Member.Address.ToString() == _writer)
            {
                _log.Warning("standby {0}: the replica's writer {1} left the cluster; promoting", settings.Path, _writer);
                Context.Parent.Tell(new Supervision.LitestreamSupervisor.PromoteStandby(settings.Path, TimeSpan.FromSeconds(60)));
            }
        });
        Receive<Akka.Cluster.ClusterEvent.IMemberEvent>(_ => { });
        Receive<ControlOutcome>(_ => { });
        Receive<ControlError>(error => _log.Error("standby {0}: automatic promotion failed: {1}", settings.Path, error.Message));
        Receive<GetStatus>(_ => Sender.Tell(Status()));
        ReceiveAsync<Promote>(async _ =>
        {
            Timers.Cancel("poll");
            var started = DateTimeOffset.UtcNow;
            // The last files first: everything the replica holds now is in the database before it takes writes.
            if (!await CatchUpAsync() || _txid is not { } txid)
            {
                Sender.Tell(new ControlError(ControlErrorKind.Unavailable, $"standby {settings.Path} cannot promote: {_problem ?? "nothing restored yet"}"));
                Timers.StartSingleTimer("poll", new Poll(), settings.PollInterval);
                return;
            }
            _follower.EndFollowing();
            _log.Info("standby {0}: promoted at txid={1} after applying the last files in {2} ms", settings.Path, Txid.Format(txid), (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds);
            Sender.Tell(new Promoted(settings.Path, txid));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="clustered">With <c>promote: auto</c>, the standby watches the cluster for its replica's writer leaving.</param>
    public static Props Props(StandbySettings settings, Func<ReplicaEndpoint, IReplicaClient> clients, bool clustered) =>
        Akka.Actor.Props.Create(() => new StandbyActor(settings, clients, clustered)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart()
    {
        if (_clustered && _settings.AutoPromote)
        {
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, typeof(Akka.Cluster.ClusterEvent.MemberRemoved));
        }
        Self.Tell(new Poll());
    }

    protected override void PostStop()
    {
        if (_clustered && _settings.AutoPromote)
        {
            Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        }
        _client.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }

    // True when the path holds everything the replica listed.
    private async Task<bool> CatchUpAsync()
    {
        try
        {
            var before = _txid;
            _txid = _txid is { } current ? await _follower.ApplyNewAsync(current, CancellationToken.None) : await FirstAsync();
            _caughtUpAt = DateTimeOffset.UtcNow;
            if (_txid != before)
            {
                _appliedAt = _caughtUpAt;
                _log.Debug("standby {0}: applied through txid={1}", _settings.Path, Txid.Format(_txid!.Value));
            }
            Clear();
            return true;
        }
        catch (Exception e) when (e is StorageException or IOException)
        {
            Report(e.Message);
            return false;
        }
    }

    // Resumes from the recorded TXID, or restores the latest state into a path that does not exist yet.
    private async Task<ulong> FirstAsync()
    {
        if (_follower.RecordedTxid() is { } recorded && File.Exists(_settings.Path))
        {
            _log.Info("standby {0}: resuming at txid={1} from {2}", _settings.Path, Txid.Format(recorded), _client.DisplayLocation);
            return await _follower.ApplyNewAsync(recorded, CancellationToken.None);
        }
        if (File.Exists(_settings.Path) && new FileInfo(_settings.Path).Length > 0)
        {
            throw new StorageException($"{_settings.Path} exists and is not a standby's copy (no {Path.GetFileName(_follower.SidecarPath)} beside it): move it away to follow the replica");
        }
        var plan = await RestorePlanner.PlanAsync(_client, RestoreTarget.Latest, CancellationToken.None);
        var result = await DatabaseRestorer.RestoreAsync(_client, plan, _settings.Path, IntegrityCheckMode.None, overwrite: true, CancellationToken.None,
            ct => RestorePlanner.PlanAsync(_client, RestoreTarget.Latest, ct));
        _follower.Start(result.Txid);
        _log.Info("standby {0}: restored from {1} at txid={2}; following", _settings.Path, _client.DisplayLocation, Txid.Format(result.Txid));
        return result.Txid;
    }

    private void Report(string problem)
    {
        if (problem != _problem)
        {
            _log.Warning("standby {0}: {1}; retrying every {2}s", _settings.Path, problem, _settings.PollInterval.TotalSeconds);
        }
        _problem = problem;
    }

    private void Clear()
    {
        if (_problem is not null)
        {
            _log.Info("standby {0}: following again at txid={1}", _settings.Path, Txid.Format(_txid!.Value));
        }
        _problem = null;
    }

    // Lag: zero while polls succeed (the standby holds what the replica lists, a poll interval behind at most); since
    // the last successful poll when they fail.
    private DatabaseStatus Status() => new(
        _settings.Path,
        _txid is null ? Restoring : Following,
        _txid,
        _appliedAt,
        _problem,
        [new ReplicaStatus(_settings.Replica.Name, _client.Type, _client.DisplayLocation, _txid, null, _problem)
        {
            Lag = _problem is null ? (_caughtUpAt is null ? null : TimeSpan.Zero) : DateTimeOffset.UtcNow - (_caughtUpAt ?? DateTimeOffset.UtcNow),
        }])
    {
        SourceTxid = _writerTxid,
    };
}
