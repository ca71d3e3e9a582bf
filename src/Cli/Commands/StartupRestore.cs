using LitestreamActors.Node.Configuration;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>restore-if-db-not-exists</c> (config) and <c>replicate -restore-if-db-not-exists</c>, as upstream: before
/// replicating, a database whose file is missing is restored from the first of its replicas that holds a backup (LTX
/// or Litestream 0.3); with no backup anywhere it starts fresh. A replica that cannot be read is an error: starting
/// fresh then would make an empty database the newest state.
/// </summary>
internal static class StartupRestore
{
    public static async Task RunAsync(NodeSettings settings, bool all, CommandContext context, CancellationToken cancellationToken)
    {
        foreach (var database in settings.Databases.Where(d => (all || d.RestoreIfMissing) && !File.Exists(d.Path)))
        {
            var restored = false;
            foreach (var replica in database.Replicas)
            {
                await using var client = ReplicaClientFactory.Create(replica.Endpoint);
                if (await RestoreAsync(client, database.Path, replica.Name, context, cancellationToken))
                {
                    restored = true;
                    break;
                }
            }
            if (!restored)
            {
                context.Log.Info("no backup in any replica, starting fresh", ("path", database.Path));
            }
        }
    }

    private static async Task<bool> RestoreAsync(IReplicaClient client, string path, string replica, CommandContext context, CancellationToken cancellationToken)
    {
        var latest = new RestoreTarget(null, null);
        if (await V3RestoreChoice.ChooseAsync(client, latest, null, null, cancellationToken) is { } v3)
        {
            await V3RestoreChoice.RunAsync(context, client, v3, path, IntegrityCheckMode.Quick, overwrite: false, dryRun: false, json: false, cancellationToken);
            return true;
        }
        RestorePlan plan;
        try
        {
            plan = await RestorePlanner.PlanAsync(client, latest, cancellationToken);
        }
        catch (NoBackupsException)
        {
            return false;
        }
        var result = await DatabaseRestorer.RestoreAsync(
            client, plan, path, IntegrityCheckMode.Quick, overwrite: false, cancellationToken, ct => RestorePlanner.PlanAsync(client, latest, ct));
        context.Log.Info("restored missing database before replicating", ("path", path), ("replica", replica), ("txid", Txid.Format(result.Txid)));
        return true;
    }
}
