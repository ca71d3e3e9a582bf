using System.Collections.Immutable;
using System.Text.Json;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using LitestreamActors.Actors.Status;
using LitestreamActors.Actors.Supervision;

namespace LitestreamActors.Actors.Cluster;

/// <summary>
/// This node's part of the cluster-wide catalog (docs/cluster.md, "Catalog"): every second it reads its databases'
/// status from the supervisor and writes the rows that changed to a replicated LWW dictionary (Akka.DistributedData),
/// each node only its own rows; rows of a node that left or was downed are removed by whoever sees it go. Any node
/// answers for all of them from its local copy.
/// </summary>
public sealed class CatalogActor : ReceiveActor, IWithTimers
{
    public static readonly LWWDictionaryKey<string, string> Key = new("litestream-catalog");
    internal const string NodePrefix = "@node|";
    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);
    private static readonly IWriteConsistency Write = new WriteAll(TimeSpan.FromSeconds(3));
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _node;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private Dictionary<string, CatalogRow> _published = new(StringComparer.Ordinal);
    private bool _announced;
    private HashSet<string>? _present;

    public CatalogActor(IActorRef supervisor)
    {
        _node = _cluster.SelfAddress.ToString();
        Receive<PublishTick>(_ => supervisor.Ask<IReadOnlyList<DatabaseStatus>>(new LitestreamSupervisor.GetStatus(), TimeSpan.FromSeconds(10))
            .PipeTo(Self, success: statuses => new Statuses(statuses), failure: e => new Akka.Actor.Status.Failure(e)));
        Receive<Statuses>(message => Publish([.. message.Databases.SelectMany(d => CatalogRow.From(_node, d))]));
        Receive<Akka.Actor.Status.Failure>(message => _log.Warning("catalog: reading this node's status failed: {0}", message.Cause.Message));
        Receive<ClusterEvent.MemberRemoved>(message => Forget(message.Member));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<GetCatalog>(_ =>
        {
            var asker = Sender;
            _replicator.Ask<IGetResponse>(Dsl.Get(Key, ReadLocal.Instance), TimeSpan.FromSeconds(5))
                .PipeTo(asker, success: response => Read(response), failure: e => new Akka.Actor.Status.Failure(e));
        });
        Receive<Changed>(changed => _present = changed.Get(Key).Entries.Keys.ToHashSet(StringComparer.Ordinal));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateFailure>(message => _log.Debug("catalog: an update reached not every node yet: {0}", message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef supervisor) => Akka.Actor.Props.Create(() => new CatalogActor(supervisor));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
        Timers.StartPeriodicTimer("publish", PublishTick.Instance, TimeSpan.Zero, PublishInterval);
        _replicator.Tell(Dsl.Subscribe(Key, Self));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Publish(IReadOnlyCollection<CatalogRow> rows)
    {
        if (_present is { } present)
        {
            // Rows removed by others (this node's old incarnation leaving after it came back) are written again.
            foreach (var gone in _published.Keys.Where(k => !present.Contains(k)).ToList())
            {
                _published.Remove(gone);
            }
            _announced &= present.Contains(NodePrefix + _node);
        }
        var changes = CatalogChanges.Between(_published, rows);
        if (changes.IsEmpty && _announced)
        {
            return;
        }
        var self = _cluster.SelfUniqueAddress;
        var node = JsonSerializer.Serialize(new NodeRow(_node, _startedAt, self.Uid), CatalogJson.Default.NodeRow);
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, Write, map =>
        {
            map = _announced ? map : map.SetItem(self, NodePrefix + _node, node);
            map = changes.Set.Aggregate(map, (m, row) => m.SetItem(self, row.Key, JsonSerializer.Serialize(row, CatalogJson.Default.CatalogRow)));
            return changes.Removed.Aggregate(map, (m, key) => m.Remove(self, key));
        }));
        _announced = true;
        _published = rows.ToDictionary(r => r.Key, StringComparer.Ordinal);
    }

    // A node restarted at the same address may be a member again when its old incarnation is removed, or its rows may
    // have arrived before it is seen as one: its rows stay.
    private void Forget(Member removed)
    {
        if (_cluster.State.Members.Any(m => m.Address.Equals(removed.Address) && !m.UniqueAddress.Equals(removed.UniqueAddress)))
        {
            return;
        }
        var node = removed.Address.ToString();
        var uid = removed.UniqueAddress.Uid;
        var self = _cluster.SelfUniqueAddress;
        _replicator.Tell(Dsl.Update(Key, LWWDictionary<string, string>.Empty, Write, map =>
            CatalogRemoval.KeysOf(map.Entries, node, uid).Aggregate(map, (m, key) => m.Remove(self, key))));
    }

    private static Catalog Read(IGetResponse response)
    {
        if (response is not GetSuccess success)
        {
            return new Catalog([], []);
        }
        var entries = success.Get(Key).Entries;
        var nodes = entries.Where(e => e.Key.StartsWith(NodePrefix, StringComparison.Ordinal))
            .Select(e => JsonSerializer.Deserialize(e.Value, CatalogJson.Default.NodeRow)!).ToImmutableList();
        var rows = entries.Where(e => !e.Key.StartsWith(NodePrefix, StringComparison.Ordinal))
            .Select(e => JsonSerializer.Deserialize(e.Value, CatalogJson.Default.CatalogRow)!)
            .OrderBy(r => r.Node, StringComparer.Ordinal).ThenBy(r => r.Database, StringComparer.Ordinal).ThenBy(r => r.Replica, StringComparer.Ordinal)
            .ToImmutableList();
        return new Catalog(rows, nodes);
    }

    /// <summary>Asks for the whole catalog as this node holds it.</summary>
    public sealed record GetCatalog;

    public sealed record Catalog(IReadOnlyList<CatalogRow> Rows, IReadOnlyList<NodeRow> Nodes);

    /// <summary>A node's own entry: its address, when it started, and which incarnation at that address wrote it (0: not said).</summary>
    public sealed record NodeRow(string Address, DateTimeOffset StartedAt, long Uid = 0);

    private sealed record PublishTick
    {
        public static readonly PublishTick Instance = new();
    }

    private sealed record Statuses(IReadOnlyList<DatabaseStatus> Databases);
}
