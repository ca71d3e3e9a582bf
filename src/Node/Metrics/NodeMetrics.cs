using LitestreamActors.Actors.Cluster;
using LitestreamActors.Actors.Events;
using LitestreamActors.Actors.Status;
using Prometheus;

namespace LitestreamActors.Node.Metrics;

/// <summary>
/// The node's Prometheus metrics on its own registry: upstream's names (so dashboards and alerts keep working after the
/// swap) and ours for each replica's lag, last upload and last proven-restorable time, local L0 bytes and restarts.
/// Counters follow the event stream; gauges are read from the status records at each scrape.
/// </summary>
public sealed class NodeMetrics
{
    private readonly Gauge _dbSize;
    private readonly Gauge _walSize;
    private readonly Gauge _txid;
    private readonly Counter _walBytes;
    private readonly Counter _syncs;
    private readonly Counter _syncErrors;
    private readonly Counter _syncSeconds;
    private readonly Counter _checkpoints;
    private readonly Counter _checkpointErrors;
    private readonly Counter _checkpointSeconds;
    private readonly Counter _operations;
    private readonly Counter _operationBytes;
    private readonly Gauge _replicaTxid;
    private readonly Gauge _lagSeconds;
    private readonly Gauge _lagTxids;
    private readonly Gauge _lastUpload;
    private readonly Gauge _lastProven;
    private readonly Gauge _localL0Bytes;
    private readonly Counter _restarts;
    private readonly Counter _captureCheckFailures;
    private readonly Counter _ownershipChanges;
    private readonly Gauge _replicasByState;
    private readonly Gauge _members;
    private readonly Gauge _unreachable;
    private readonly Gauge _standbyTxid;
    private readonly Gauge _standbyLag;
    private readonly Gauge _standbyLagTxids;
    private HashSet<string> _databases = [];
    private HashSet<string> _standbys = [];
    private HashSet<(string, string)> _replicas = [];

    public NodeMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        string[] db = ["db"];
        string[] replica = ["db", "replica"];
        _dbSize = factory.CreateGauge("litestream_db_size", "The size of the database file in bytes.", db);
        _walSize = factory.CreateGauge("litestream_wal_size", "The size of the database's WAL file in bytes.", db);
        _txid = factory.CreateGauge("litestream_txid", "The database's current local TXID.", db);
        _walBytes = factory.CreateCounter("litestream_total_wal_bytes", "WAL bytes turned into LTX files.", db);
        _syncs = factory.CreateCounter("litestream_sync_count", "Capture cycles (local syncs).", db);
        _syncErrors = factory.CreateCounter("litestream_sync_error_count", "Capture cycles that failed.", db);
        _syncSeconds = factory.CreateCounter("litestream_sync_seconds", "Time spent in capture cycles, in seconds.", db);
        _checkpoints = factory.CreateCounter("litestream_checkpoint_count", "Checkpoints run.", "db", "mode");
        _checkpointErrors = factory.CreateCounter("litestream_checkpoint_error_count", "Checkpoints that failed.", "db", "mode");
        _checkpointSeconds = factory.CreateCounter("litestream_checkpoint_seconds", "Time spent checkpointing, in seconds.", "db", "mode");
        _operations = factory.CreateCounter("litestream_replica_operation_total", "Replica storage operations.", "replica_type", "operation");
        _operationBytes = factory.CreateCounter("litestream_replica_operation_bytes", "Bytes moved by replica storage operations.", "replica_type", "operation");
        _replicaTxid = factory.CreateGauge("litestream_replica_txid", "The newest TXID the replica holds.", replica);
        _lagSeconds = factory.CreateGauge("litestream_replica_lag_seconds", "How long the oldest commit the replica lacks has waited (0: it holds all).", replica);
        _lagTxids = factory.CreateGauge("litestream_replica_lag_txids", "TXIDs captured locally that the replica does not hold yet.", replica);
        _lastUpload = factory.CreateGauge("litestream_replica_last_upload_timestamp_seconds", "Unix time of the replica's last successful upload.", replica);
        _lastProven = factory.CreateGauge("litestream_replica_last_proven_timestamp_seconds", "Unix time of the newest state a restore drill proved restorable.", replica);
        _localL0Bytes = factory.CreateGauge("litestream_local_l0_bytes", "Bytes of local L0 files kept for replicas that do not hold them yet.", db);
        _ownershipChanges = factory.CreateCounter(
            "litestream_replica_ownership_changes_total", "Replica leases this node acquired (change=acquired) or lost to another node (change=lost).", "db", "replica", "change");
        _replicasByState = factory.CreateGauge("litestream_replicas", "This node's replicas by state (running, standby, following, demoted, waiting, stopped, failed).", "state");
        _standbyTxid = factory.CreateGauge("litestream_standby_txid", "The TXID a warm standby has applied from its replica.", db);
        _standbyLagTxids = factory.CreateGauge("litestream_standby_lag_txids", "Transactions the followed database has (as the cluster's catalog shows its writer) that a warm standby has not applied yet.", db);
        _standbyLag = factory.CreateGauge("litestream_standby_lag_seconds", "How long a warm standby has not held what its replica lists (0: it follows).", db);
        _members = factory.CreateGauge("litestream_cluster_members", "Cluster members by status, as this node sees them (absent without a cluster).", "status");
        _unreachable = factory.CreateGauge("litestream_cluster_unreachable_members", "Cluster members this node cannot reach (absent without a cluster).");
        _restarts = factory.CreateCounter("litestream_actor_restarts_total", "Actors restarted by their supervisor after a failure.");
        _captureCheckFailures = factory.CreateCounter(
            "litestream_capture_check_failures_total", "L0 files that disagreed with the database as SQLite shows it; each was replaced by a full file.", "db", "check");
    }

    public CollectorRegistry Registry { get; }

    public void Observe(SyncObserved sync)
    {
        _syncs.WithLabels(sync.Path).Inc();
        _syncSeconds.WithLabels(sync.Path).Inc(sync.Duration.TotalSeconds);
        _walBytes.WithLabels(sync.Path).Inc(sync.WalBytes);
        if (sync.Failed)
        {
            _syncErrors.WithLabels(sync.Path).Inc();
        }
    }

    public void Observe(CheckpointObserved checkpoint)
    {
        (checkpoint.Failed ? _checkpointErrors : _checkpoints).WithLabels(checkpoint.Path, checkpoint.Mode).Inc();
        _checkpointSeconds.WithLabels(checkpoint.Path, checkpoint.Mode).Inc(checkpoint.Duration.TotalSeconds);
    }

    public void Observe(ActorRestartObserved _) => _restarts.Inc();

    public void Observe(CaptureCheckFailed failure) => _captureCheckFailures.WithLabels(failure.Path, failure.Form).Inc();

    public void Observe(LeaseOwnershipChanged change) =>
        _ownershipChanges.WithLabels(change.Database, change.Replica, change.Acquired ? "acquired" : "lost").Inc();

    /// <summary>Cluster membership as this node sees it at a scrape (statuses as <c>cluster show</c> names them).</summary>
    public void RefreshCluster(IReadOnlyDictionary<string, int> membersByStatus, int unreachable)
    {
        foreach (var status in ClusterStatuses)
        {
            _members.WithLabels(status).Set(membersByStatus.GetValueOrDefault(status));
        }
        _unreachable.Set(unreachable);
    }

    private static readonly string[] ClusterStatuses = ["Joining", "WeaklyUp", "Up", "Leaving", "Exiting", "Down", "Removed"];

    public void ObserveOperation(string replicaType, string operation, long bytes)
    {
        _operations.WithLabels(replicaType, operation).Inc();
        if (bytes > 0)
        {
            _operationBytes.WithLabels(replicaType, operation).Inc(bytes);
        }
    }

    /// <summary>Sets the gauges from the status records; series of databases and replicas no longer there go.</summary>
    public void Refresh(IReadOnlyList<DatabaseStatus> databases)
    {
        var seenDatabases = new HashSet<string>(StringComparer.Ordinal);
        var seenReplicas = new HashSet<(string, string)>();
        var states = new[] { CatalogRow.Running, CatalogRow.Standby, CatalogRow.Following, CatalogRow.Demoted, CatalogRow.Waiting, CatalogRow.Stopped, CatalogRow.Failed }.ToDictionary(s => s, _ => 0);
        foreach (var (database, replica) in databases.SelectMany(d => d.Replicas.Select(r => (d, r))))
        {
            states[CatalogRow.StateOf(database, replica)]++;
        }
        foreach (var (state, count) in states)
        {
            _replicasByState.WithLabels(state).Set(count);
        }
        var standbys = databases.Where(d => d.Replicas.Any(r => CatalogRow.StateOf(d, r) == CatalogRow.Following)).ToList();
        foreach (var standby in standbys)
        {
            _standbyTxid.WithLabels(standby.Path).Set(standby.Txid ?? 0);
            _standbyLag.WithLabels(standby.Path).Set(standby.Replicas[0].Lag?.TotalSeconds ?? 0);
            _standbyLagTxids.WithLabels(standby.Path).Set(standby.SourceTxid is { } source && standby.Txid is { } txid && source > txid ? source - txid : 0);
        }
        foreach (var gone in _standbys.Except(standbys.Select(s => s.Path)))
        {
            _standbyTxid.RemoveLabelled(gone);
            _standbyLag.RemoveLabelled(gone);
            _standbyLagTxids.RemoveLabelled(gone);
        }
        _standbys = [.. standbys.Select(s => s.Path)];
        foreach (var database in databases.Where(d => d.State != "stopped").Except(standbys))
        {
            seenDatabases.Add(database.Path);
            _dbSize.WithLabels(database.Path).Set(SizeOf(database.Path));
            _walSize.WithLabels(database.Path).Set(SizeOf(database.Path + "-wal"));
            _txid.WithLabels(database.Path).Set(database.Txid ?? 0);
            _localL0Bytes.WithLabels(database.Path).Set(database.LocalL0Bytes);
            foreach (var replica in database.Replicas)
            {
                seenReplicas.Add((database.Path, replica.Name));
                string[] labels = [database.Path, replica.Name];
                _replicaTxid.WithLabels(labels).Set(replica.Txid ?? 0);
                _lagSeconds.WithLabels(labels).Set(replica.Lag?.TotalSeconds ?? 0);
                _lagTxids.WithLabels(labels).Set(replica.Txid is { } held && database.Txid is { } txid && txid > held ? txid - held : 0);
                _lastUpload.WithLabels(labels).Set(replica.LastUploadAt?.ToUnixTimeMilliseconds() / 1000.0 ?? 0);
                _lastProven.WithLabels(labels).Set(replica.LastProvenAt?.ToUnixTimeMilliseconds() / 1000.0 ?? 0);
            }
        }
        foreach (var gone in _databases.Except(seenDatabases))
        {
            foreach (var gauge in new[] { _dbSize, _walSize, _txid, _localL0Bytes })
            {
                gauge.RemoveLabelled(gone);
            }
        }
        foreach (var (path, name) in _replicas.Except(seenReplicas))
        {
            foreach (var gauge in new[] { _replicaTxid, _lagSeconds, _lagTxids, _lastUpload, _lastProven })
            {
                gauge.RemoveLabelled(path, name);
            }
        }
        _databases = seenDatabases;
        _replicas = seenReplicas;
    }

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
