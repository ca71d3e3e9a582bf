using Akka.Actor;
using LitestreamActors.Actors.Cluster;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Database;
using LitestreamActors.Actors.Supervision;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Storage;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Node.Control;

/// <summary>
/// A restore asked of any node for a database of the cluster (docs/cluster.md, "Restore against the cluster"): the
/// catalog names the owner; the owner syncs and waits for its replicas (when no TXID or moment was named) and describes
/// the replica without its credentials; this node restores from the replica with its own credentials. The live
/// database file is never read: the result proves the backup.
/// </summary>
public sealed class ClusterRestore(ClusterApi cluster, NodeSettings settings)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <exception cref="ClusterRestoreException">No such database, its owner or the replica unreachable, a sync that did not complete.</exception>
    public async Task<ClusterRestoreSource> OpenAsync(string database, string? replica, RestoreTarget target, bool sync, TimeSpan timeout)
    {
        CatalogTarget found;
        try
        {
            found = CatalogLookup.Find((await cluster.CatalogAsync()).Rows, database, replica);
        }
        catch (CatalogLookupException e)
        {
            throw new ClusterRestoreException(e.NotFound ? ControlErrorKind.NotFound : ControlErrorKind.Conflict, e.Message);
        }
        var owner = found.Owner;
        if (cluster.IsUnreachable(owner))
        {
            throw new ClusterRestoreException(ControlErrorKind.Unavailable, $"owner {owner} of {found.Database} is unreachable");
        }
        var supervisor = await OwnerSupervisor(owner);
        if (sync)
        {
            var synced = await AskOwner<DatabaseActor.Synced>(supervisor, owner, new LitestreamSupervisor.SyncDatabase(found.Database, true, timeout), timeout + AskTimeout);
            if (synced.Problem is { } problem)
            {
                throw new ClusterRestoreException(ControlErrorKind.Unavailable, $"owner {owner} could not sync {found.Database}: {problem}");
            }
            if (synced.Txid == 0)
            {
                throw new ClusterRestoreException(ControlErrorKind.NotFound, $"{found.Database} has no transaction to restore yet");
            }
            target = new RestoreTarget(synced.Txid, null);
        }
        var described = await AskOwner<LitestreamSupervisor.ReplicaDescription>(supervisor, owner, new LitestreamSupervisor.DescribeReplica(found.Database, found.Replica), AskTimeout);
        try
        {
            return new ClusterRestoreSource(owner, found.Database, described.Name, ReplicaClientFactory.Create(OwnEndpoint(described.Endpoint) ?? described.Endpoint), target);
        }
        catch (StorageException e)
        {
            throw new ClusterRestoreException(ControlErrorKind.Unavailable, $"replica {described.Name} of {found.Database}: {e.Message}");
        }
    }

    /// <summary>
    /// Restores the source's target to <paramref name="outputPath"/> (temp file, fsync, rename); returns the result and
    /// its LTX database checksum, which the receiver of a stream checks its copy against.
    /// </summary>
    public static async Task<(RestoreResult Result, ulong Checksum)> RestoreAsync(
        ClusterRestoreSource source, string outputPath, IntegrityCheckMode integrity, CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(source, cancellationToken);
        try
        {
            var result = await DatabaseRestorer.RestoreAsync(
                source.Client, plan, outputPath, integrity, overwrite: false, cancellationToken, ct => RestorePlanner.PlanAsync(source.Client, source.Target, ct));
            return (result, PageChecksum.OfDatabaseFile(result.OutputPath));
        }
        catch (Exception e) when (e is StorageException or IOException)
        {
            throw new ClusterRestoreException(ControlErrorKind.Unavailable, $"restoring {source.Database} from replica {source.Replica}: {e.Message}");
        }
    }

    /// <summary>The files that restore the source's target (a TXID must end a file, as for <c>restore -txid</c>).</summary>
    public static async Task<RestorePlan> PlanAsync(ClusterRestoreSource source, CancellationToken cancellationToken)
    {
        try
        {
            return await RestorePlanner.PlanAsync(source.Client, source.Target, cancellationToken);
        }
        catch (Exception e) when (e is RestoreException or NoBackupsException)
        {
            throw new ClusterRestoreException(ControlErrorKind.NotFound, $"replica {source.Replica} of {source.Database}: {e.Message}");
        }
        catch (Exception e) when (e is StorageException or IOException or HttpRequestException)
        {
            throw new ClusterRestoreException(ControlErrorKind.Unavailable, $"replica {source.Replica} of {source.Database} is unreachable: {e.Message}");
        }
    }

    // This node's own config for the same target, when it has one, brings its credentials; else the owner's
    // description does, with the credentials this node's environment gives.
    private ReplicaEndpoint? OwnEndpoint(ReplicaEndpoint described) =>
        settings.Databases.SelectMany(d => d.Replicas).Select(r => r.Endpoint)
            .Concat(settings.Replication.Directories.SelectMany(d => d.Template.Replicas).Select(r => UnderTemplate(r.Endpoint, described)))
            .FirstOrDefault(e => e.BackendType == described.BackendType && e.TargetKey() == described.TargetKey());

    // A database of a dir: entry replicates under the entry's location; the same relative path under ours.
    private static ReplicaEndpoint UnderTemplate(ReplicaEndpoint template, ReplicaEndpoint described)
    {
        var prefix = template.TargetKey().TrimEnd('/') + "/";
        var target = described.TargetKey();
        return target.StartsWith(prefix, StringComparison.Ordinal) ? template.Under(target[prefix.Length..]) : template;
    }

    // Found first, briefly: an owner that just died is not yet unreachable to the failure detector, and a sync asked of
    // it would wait out the whole timeout.
    private async Task<IActorRef> OwnerSupervisor(string owner)
    {
        try
        {
            return await cluster.SupervisorOfAsync(owner, ResolveTimeout);
        }
        catch (ActorNotFoundException)
        {
            throw new ClusterRestoreException(ControlErrorKind.Unavailable, $"owner {owner} did not answer within {ResolveTimeout.TotalSeconds:0}s");
        }
    }

    private static async Task<T> AskOwner<T>(IActorRef supervisor, string owner, object request, TimeSpan timeout)
    {
        object reply;
        try
        {
            reply = await supervisor.Ask<object>(request, timeout);
        }
        catch (AskTimeoutException)
        {
            throw new ClusterRestoreException(ControlErrorKind.Timeout, $"owner {owner} did not answer within {timeout.TotalSeconds:0}s");
        }
        return reply switch
        {
            T answer => answer,
            ControlError error => throw new ClusterRestoreException(error.Kind, $"owner {owner}: {error.Message}"),
            _ => throw new ClusterRestoreException(ControlErrorKind.Invalid, $"owner {owner} answered {reply.GetType().Name}"),
        };
    }
}
