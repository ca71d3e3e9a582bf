using Akka.Actor;
using Akka.Cluster;
using LitestreamActors.Actors.Cluster;
using LitestreamActors.Actors.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LitestreamActors.Node.Control;

/// <summary>
/// <c>/cluster/...</c> of the control API (docs/cluster.md, "Inspection"): members as this node sees them, the
/// catalog of every node's databases, leave/down of a member, and restores (<see cref="ClusterRestoreApi"/>). A node without a <c>cluster:</c> section answers 409.
/// </summary>
public sealed class ClusterApi
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private readonly ActorSystem _system;
    private readonly IActorRef? _catalog;
    private readonly ClusterRestoreApi _restoreApi;

    public ClusterApi(ActorSystem system, IActorRef? catalog, Configuration.NodeSettings settings)
    {
        _system = system;
        _catalog = catalog;
        Restore = catalog is null ? null : new ClusterRestore(this, settings);
        _restoreApi = new ClusterRestoreApi(Restore);
    }

    public bool Enabled => _catalog is not null;

    /// <summary>Restores against the cluster; null on a node without a <c>cluster:</c> section.</summary>
    public ClusterRestore? Restore { get; }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/cluster/members", async () => _catalog is null ? NotClustered() : Results.Json(await MembersAsync(), ControlApi.JsonOptions));
        routes.MapGet("/cluster/databases", async () => _catalog is null ? NotClustered() : Results.Json(
            new CatalogAnswer((await CatalogAsync()).Rows.Select(CatalogRowView.From)), ControlApi.JsonOptions));
        routes.MapPost("/cluster/leave", (ClusterRequest request) => Act(request, (cluster, address) => cluster.Leave(address), "leaving"));
        routes.MapPost("/cluster/down", (ClusterRequest request) => Act(request, (cluster, address) => cluster.Down(address), "downed"));
        _restoreApi.Map(routes);
    }

    /// <summary>This node's cluster address; null without a cluster.</summary>
    public string? SelfAddress => _catalog is null ? null : Akka.Cluster.Cluster.Get(_system).SelfAddress.ToString();

    /// <summary>Whether the failure detector sees <paramref name="node"/> unreachable now.</summary>
    public bool IsUnreachable(string node) => Akka.Cluster.Cluster.Get(_system).State.Unreachable.Any(m => m.Address.ToString() == node);

    /// <summary>The supervisor of a member (its <c>/user/litestream</c>), resolved within a few seconds.</summary>
    public async Task<IActorRef> SupervisorOfAsync(string node, TimeSpan within) =>
        await _system.ActorSelection($"{node}/user/litestream").ResolveOne(within);

    public Task<CatalogActor.Catalog> CatalogAsync() => _catalog!.Ask<CatalogActor.Catalog>(new CatalogActor.GetCatalog(), AskTimeout);

    public async Task<ClusterMembersView> MembersAsync()
    {
        var cluster = Akka.Cluster.Cluster.Get(_system);
        var catalogNow = await CatalogAsync();
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var startedAt = catalogNow.Nodes.ToDictionary(n => n.Address, n => n.StartedAt, StringComparer.Ordinal);
        return new ClusterMembersView(
            cluster.SelfAddress.ToString(),
            state.Leader?.ToString(),
            [.. state.Members.Select(m => new ClusterMemberView(
                m.Address.ToString(),
                MemberStatusText(m.Status),
                [.. m.Roles.Order(StringComparer.Ordinal)],
                !unreachable.Contains(m.Address),
                m.Address.Equals(state.Leader),
                startedAt.TryGetValue(m.Address.ToString(), out var at) ? at : null,
                catalogNow.Rows.Where(r => r.Node == m.Address.ToString()).Select(r => r.Database).Distinct(StringComparer.Ordinal).Count()))]);
    }

    /// <summary>Members by status and how many are unreachable, for the metrics.</summary>
    public (Dictionary<string, int> ByStatus, int Unreachable) MemberCounts()
    {
        var state = Akka.Cluster.Cluster.Get(_system).State;
        return (state.Members.GroupBy(m => MemberStatusText(m.Status)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal), state.Unreachable.Count);
    }

    private IResult Act(ClusterRequest request, Action<Akka.Cluster.Cluster, Address> act, string done)
    {
        if (_catalog is null)
        {
            return NotClustered();
        }
        var cluster = Akka.Cluster.Cluster.Get(_system);
        if (request.Address is not { Length: > 0 } text)
        {
            return ControlApi.Error(ControlErrorKind.Invalid, "address is required");
        }
        if (!TryAddress(text, out var address) || !cluster.State.Members.Any(m => m.Address.Equals(address)))
        {
            return ControlApi.Error(ControlErrorKind.NotFound, $"no member {text} in the cluster");
        }
        act(cluster, address);
        return Results.Json(new MemberActionAnswer(done, address.ToString()), ControlApi.JsonOptions);
    }

    // host:port is completed with this cluster's protocol and _system name.
    private bool TryAddress(string text, out Address address)
    {
        try
        {
            address = Address.Parse(text.Contains("://", StringComparison.Ordinal) ? text : $"akka.tcp://{_system.Name}@{text}");
            return true;
        }
        catch (UriFormatException)
        {
            address = Address.AllSystems;
            return false;
        }
    }

    private static string MemberStatusText(MemberStatus status) => status switch
    {
        MemberStatus.Up => "Up",
        MemberStatus.Joining => "Joining",
        MemberStatus.WeaklyUp => "WeaklyUp",
        MemberStatus.Leaving => "Leaving",
        MemberStatus.Exiting => "Exiting",
        MemberStatus.Down => "Down",
        MemberStatus.Removed => "Removed",
        _ => status.ToString(),
    };

    private static IResult NotClustered() =>
        ControlApi.Error(ControlErrorKind.Conflict, "this node is not in a cluster (its config has no cluster: section)");
}
