using Akka.Actor;
using LitestreamActors.Actors.Cluster;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Standby;
using LitestreamActors.Actors.Status;
using LitestreamActors.Actors.Supervision;

namespace LitestreamActors.Node.Control;

/// <summary>
/// <c>litestream promote</c> asked of any node (docs/cluster.md, "Warm standbys"): finds the standby (this node's, or
/// in the catalog), has the live owner of its replica sync one last time and hand its lease over, then has the standby
/// apply the last files and become the database, writing the replica from the next TXID. An owner that is gone is not
/// waited for: its lease runs out (or its process is seen gone) and the promoted database takes it.
/// </summary>
public sealed class Promotion(IActorRef supervisor, ClusterApi cluster)
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CatalogPatience = TimeSpan.FromSeconds(5);

    /// <returns>The outcome <c>promoted</c> with the TXID the database starts from, or a <see cref="ControlError"/>.</returns>
    public async Task<object> PromoteAsync(string argument, TimeSpan timeout)
    {
        var local = (await supervisor.Ask<IReadOnlyList<DatabaseStatus>>(new LitestreamSupervisor.GetStatus(), TimeSpan.FromSeconds(15)))
            .FirstOrDefault(d => d.Path == argument && d.State is StandbyActor.Following or StandbyActor.Restoring);
        if (!cluster.Enabled)
        {
            return await supervisor.Ask<object>(new LitestreamSupervisor.PromoteStandby(argument, timeout), timeout + TimeSpan.FromSeconds(10));
        }
        // The catalog is eventually consistent: a restarted node's rows can be missing for a second (its old incarnation's
        // removal reaching a node after its new rows), so a standby not found is looked for again for a few seconds.
        var patience = DateTime.UtcNow + CatalogPatience;
        IReadOnlyList<CatalogRow> rows;
        CatalogRow? standby;
        while (true)
        {
            rows = (await cluster.CatalogAsync()).Rows;
            standby = local is null
                ? FindStandby(rows, argument)
                : rows.FirstOrDefault(r => r.Node == cluster.SelfAddress && r.Database == argument);
            if (standby is not null || DateTime.UtcNow >= patience)
            {
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        if (standby is null)
        {
            return new ControlError(ControlErrorKind.NotFound, local is null
                ? $"no standby at {argument} in the cluster's catalog"
                : $"the standby {argument} is not in the cluster's catalog yet; try again in a second");
        }
        var promotedTo = $"{standby.Node} {standby.Database}";
        foreach (var owner in rows.Where(r => r.Type == standby.Type && r.Target == standby.Target && r.State == CatalogRow.Running && r.Node != standby.Node))
        {
            if (cluster.IsUnreachable(owner.Node))
            {
                continue;
            }
            if (await AskAsync(owner.Node, new LitestreamSupervisor.DemoteDatabase(owner.Database, promotedTo, timeout), timeout) is ControlError refused)
            {
                return new ControlError(refused.Kind, $"the owner {owner.Node} of {standby.Target} could not hand it over: {refused.Message}");
            }
        }
        return await AskAsync(standby.Node, new LitestreamSupervisor.PromoteStandby(standby.Database, timeout), timeout);
    }

    private static CatalogRow? FindStandby(IEnumerable<CatalogRow> rows, string argument)
    {
        var (node, path) = CatalogLookup.Split(argument);
        var found = rows.Where(r => r.State == CatalogRow.Following && r.Database == path
            && (node is null || r.Node == node || r.Node.EndsWith("@" + node, StringComparison.Ordinal))).ToList();
        return found.Count == 1 ? found[0] : null;
    }

    private async Task<object> AskAsync(string node, object message, TimeSpan timeout)
    {
        try
        {
            var target = await cluster.SupervisorOfAsync(node, ResolveTimeout);
            return await target.Ask<object>(message, timeout + TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is ActorNotFoundException or AskTimeoutException)
        {
            return new ControlError(ControlErrorKind.Unavailable, $"{node} did not answer");
        }
    }
}
