using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.V3;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream migrate</c> (ours): turns a Litestream 0.3 backup into LTX files beside it (or elsewhere).</summary>
internal sealed class MigrateCommand : ICommand
{
    public string Name => "migrate";

    public string Summary => "Convert a Litestream 0.3 backup into LTX files";

    public string Usage => $$"""
        The migrate command converts a Litestream 0.3 backup (generations/ in the replica)
        into LTX files (ltx/0/ in the same replica, or in the -to replica): each generation's
        snapshot and every WAL segment become L0 files with their original timestamps, so
        restores to a point in time reach back across the switch. It never deletes or changes
        the 0.3 backup; run again, it continues where it stopped, and writes nothing once done.
        Start replicate afterwards: it continues after the migrated history.

        Usage:

            litestream migrate [arguments] DB_PATH
            litestream migrate [arguments] REPLICA_URL

        Arguments:

        {{ConfigArguments.Help}}

            -replica NAME
                Migrates the replica of that name when a database has several.

            -to REPLICA_URL
                Writes the LTX files to this replica instead of the source's.

            -json
                Prints the result as JSON.

        Examples:

            # Convert the backup of a database from the config, in place.
            $ litestream migrate /var/lib/app.db

            # Convert a backup in S3 into another bucket.
            $ litestream migrate -to s3://new-bucket/app s3://old-bucket/app
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var config = new ConfigArguments(flags);
        var replicaName = flags.OptionalString("replica");
        var to = flags.OptionalString("to");
        var json = flags.Bool("json");
        var argument = flags.ParseDatabaseOrReplica(args);
        await using var source = ReplicaSource.Resolve(argument, config.Path, !config.ExpandEnvironment, replicaName());
        await using var other = to() is { } url ? ReplicaSource.Resolve(url, null, true, null) : null;
        var destination = other?.Client ?? source.Client;
        var scratch = Path.Combine(Path.GetTempPath(), $"litestream-migrate-{Guid.NewGuid():N}");
        var started = DateTimeOffset.UtcNow;
        try
        {
            var result = await V3Migrator.MigrateAsync(source.Client, destination, scratch, (_, _) => { }, cancellationToken);
            var duration = (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds;
            if (json())
            {
                Json.Write(context.Out, new MigrationSummary(destination.DisplayLocation, Txid.Format(result.LastTxid), result.Written, result.AlreadyPresent, duration));
            }
            else
            {
                context.Log.Info("migration complete", ("replica", destination.DisplayLocation), ("last_txid", Txid.Format(result.LastTxid)),
                    ("written", result.Written), ("already_present", result.AlreadyPresent), ("duration_ms", duration));
            }
            return 0;
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    internal sealed record MigrationSummary(string Replica, string LastTxid, int Written, int AlreadyPresent, long DurationMs);
}
