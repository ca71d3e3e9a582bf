using System.Globalization;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream restore</c>: rebuilds a database from a replica, latest or as of a TXID or a moment.</summary>
internal sealed class RestoreCommand : ICommand
{
    public string Name => "restore";

    public string Summary => "Recover a database from a replica";

    public string Usage => $$"""
        The restore command recovers a database from a replica: its latest state, the state after a
        transaction, or the last state before a moment. The output is written to a temporary file,
        flushed to disk and renamed into place, so a failed restore leaves nothing behind.

        Usage:

            litestream restore [arguments] DB_PATH
            litestream restore [arguments] REPLICA_URL
            litestream restore -cluster ADDR -o PATH [arguments] DB_PATH

        Arguments:

        {{ConfigArguments.Help}}

            -replica NAME
                Restores from the replica of that name when a database has several.

            -o PATH
                Output path of the restored database.
                Defaults to DB_PATH; required with a REPLICA_URL.

            -txid TXID
                Restores up to this transaction: 16 hex digits, the end of an LTX file.

            -timestamp TIMESTAMP
                Restores the last state before this moment (RFC 3339, e.g. 2026-01-02T15:04:05Z).

            -if-db-not-exists
                Does nothing, successfully, if the output already exists.

            -if-replica-exists
                Does nothing, successfully, if the replica holds no backup.

            -force
                Overwrites an existing output (and removes its -wal and -shm files).

            -follow-interval DURATION
                How often -f polls the replica (default 1s).

            -f
                Follows the replica after restoring: applies each new file to the output in
                place until stopped, recording the TXID in <output>-txid; started again on
                an output with that file, it resumes from the recorded TXID.

            -generation NAME
                Litestream 0.3 backups: restores from this generation.

            -index INDEX
                Litestream 0.3 backups: restores up to this WAL index (hex), inclusive.
                (Without either, a 0.3 backup is used when it is newer than the LTX files.)

            -integrity-check MODE
                none, quick or full: checks the result before it replaces the output.
                Defaults to none for LTX files, whose checksums cover every byte, and to quick
                for Litestream 0.3 backups, whose snapshots carry no checksum.

            -parallelism N
                Batches of pages decoded at once, each on a core of its own, and files in
                flight: the next N-1 are opened while one is applied (default 8; at most 6
                take effect). 1 decodes on one core and opens one file at a time.

            -cluster ADDR
                Restores through any node of a cluster (its HTTP address HOST:PORT, with
                $LITESTREAM_API_TOKEN, or its control socket path): the owner of DB_PATH (as
                the cluster's catalog shows it, or NODE:PATH) syncs first, the node restores
                from the replica with its own credentials and streams the result here,
                checked by checksum and integrity check. Takes -o, -replica, -txid,
                -timestamp, -force, -if-db-not-exists, -dry-run and -json.

            -dry-run
                Prints the restore plan without writing anything.

            -json
                Prints the result (or the plan) as JSON.

        Examples:

            # Restore the latest state of a database from its configured replica.
            $ litestream restore /var/lib/app.db

            # Restore to another path, as of a transaction.
            $ litestream restore -o /tmp/app.db -txid 00000000000000a1 /var/lib/app.db

            # Restore through a cluster node, as of now: no storage credentials needed here.
            $ litestream restore -cluster 127.0.0.1:9090 -o /tmp/app.db /var/lib/app.db

            # Restore from a replica URL, as of a moment.
            $ litestream restore -o /tmp/app.db -timestamp 2026-01-02T15:04:05Z file:///backups/app
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var config = new ConfigArguments(flags);
        var replicaName = flags.OptionalString("replica");
        var output = flags.OptionalString("o");
        var txidText = flags.OptionalString("txid");
        var timestampText = flags.OptionalString("timestamp");
        var ifDbNotExists = flags.Bool("if-db-not-exists");
        var ifReplicaExists = flags.Bool("if-replica-exists");
        var force = flags.Bool("force");
        var integrityText = flags.OptionalString("integrity-check");
        var parallelism = flags.String("parallelism", "8");
        var dryRun = flags.Bool("dry-run");
        var json = flags.Bool("json");
        var follow = flags.Bool("f");
        var followInterval = flags.String("follow-interval", "1s");
        var generation = flags.OptionalString("generation");
        var index = flags.OptionalString("index");
        var cluster = flags.OptionalString("cluster");
        var argument = flags.ParseDatabaseOrReplica(args);
        if (!int.TryParse(parallelism(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            throw new UsageException($"invalid -parallelism \"{parallelism()}\"");
        }
        var target = ParseTarget(txidText(), timestampText());
        if (cluster() is { } address)
        {
            if (config.Path is { Length: > 0 } || follow() || generation() is not null || index() is not null || ifReplicaExists() || integrityText() is not null)
            {
                throw new UsageException("-cluster cannot be combined with -config, -f, -generation, -index, -if-replica-exists or -integrity-check (the node checks in full)");
            }
            return await ClusterRestoreRun.RunAsync(
                context, address, argument, replicaName(), output(), target, (force(), ifDbNotExists(), dryRun(), json()), cancellationToken);
        }
        var integrity = integrityText() switch
        {
            null or "none" => IntegrityCheckMode.None,
            "quick" => IntegrityCheckMode.Quick,
            "full" => IntegrityCheckMode.Full,
            var other => throw new UsageException($"invalid -integrity-check \"{other}\": expected none, quick or full"),
        };

        await using var source = ReplicaSource.Resolve(argument, config.Path, !config.ExpandEnvironment, replicaName());
        var outputPath = output() is { Length: > 0 } o ? Path.GetFullPath(o)
            : source.DatabasePath ?? throw new UsageException("output path required (-o) when restoring from a replica URL");

        var outputExists = File.Exists(outputPath) && new FileInfo(outputPath).Length > 0;
        if (follow() && (target.Txid is not null || target.Timestamp is not null || dryRun()))
        {
            throw new UsageException("-f cannot be combined with -txid, -timestamp or -dry-run");
        }
        var follower = new RestoreFollower(source.Client, outputPath);
        if (follow() && outputExists && follower.RecordedTxid() is { } recorded)
        {
            context.Log.Info("resuming follow", ("path", outputPath), ("txid", Txid.Format(recorded)));
            return await FollowAsync(follower, recorded, FollowInterval(followInterval()), context, cancellationToken);
        }
        if (outputExists && ifDbNotExists() && !dryRun())
        {
            context.Log.Info("database already exists, skipping", ("path", outputPath));
            return 0;
        }
        if (outputExists && !force() && !dryRun())
        {
            throw new Storage.StorageException($"output file already exists: {outputPath} (use -force to overwrite it)");
        }

        var v3Index = V3RestoreChoice.ParseIndex(index());
        if ((generation() is not null || v3Index is not null) && (target.Txid is not null || follow()))
        {
            throw new UsageException("-generation and -index (Litestream 0.3 backups) cannot be combined with -txid or -f");
        }
        if (target.Txid is null && !follow()
            && await V3RestoreChoice.ChooseAsync(source.Client, target, generation(), v3Index, cancellationToken) is { } v3)
        {
            return await V3RestoreChoice.RunAsync(
                context, source.Client, v3, outputPath, integrityText() is null ? IntegrityCheckMode.Quick : integrity, force(), dryRun(), json(), cancellationToken);
        }

        RestorePlan plan;
        try
        {
            plan = await RestorePlanner.PlanAsync(source.Client, target, cancellationToken);
        }
        catch (NoBackupsException) when (ifReplicaExists())
        {
            context.Log.Info("no matching backups found, skipping", ("replica", source.Client.DisplayLocation));
            return 0;
        }

        if (dryRun())
        {
            WritePlan(context, plan, argument, outputPath, source, json());
            return 0;
        }

        var result = await DatabaseRestorer.RestoreAsync(
            source.Client, plan, outputPath, integrity, force(), cancellationToken, ct => RestorePlanner.PlanAsync(source.Client, target, ct), n);
        if (result.Replans > 0)
        {
            context.Log.Warn("planned files were deleted by retention during the restore; planned again", ("times", result.Replans));
        }
        if (json())
        {
            Json.Write(context.Out, new RestoreSummary(
                result.OutputPath, source.Client.Type, Txid.Format(result.Txid), (long)result.Duration.TotalMilliseconds, integrityText() ?? "none"));
        }
        else
        {
            context.Log.Info(
                "restore complete",
                ("path", result.OutputPath), ("txid", Txid.Format(result.Txid)), ("files", result.FileCount),
                ("pages", result.PageCount), ("duration_ms", (long)result.Duration.TotalMilliseconds));
        }
        if (follow())
        {
            follower.Start(result.Txid);
            return await FollowAsync(follower, result.Txid, FollowInterval(followInterval()), context, cancellationToken);
        }
        return 0;
    }

    // Polls the replica each second until stopped; a failed poll is logged and tried again.
    private static TimeSpan FollowInterval(string text) =>
        Storage.Text.GoDuration.TryParse(text, out var interval) && interval > TimeSpan.Zero
            ? interval
            : throw new UsageException($"invalid -follow-interval \"{text}\": expected a duration above zero, such as 1s");

    private static async Task<int> FollowAsync(RestoreFollower follower, ulong txid, TimeSpan interval, CommandContext context, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var applied = await follower.ApplyNewAsync(txid, cancellationToken);
                if (applied != txid)
                {
                    context.Log.Info("applied", ("txid", Txid.Format(applied)));
                    txid = applied;
                }
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Storage.StorageException e) when (e is not Storage.Ltx.LtxFormatException)
            {
                // A file that fails its checksum twice is not retried: it ends the follower (docs/reliability.md).
                context.Log.Warn($"follow: {e.Message}; retrying");
                await Task.Delay(interval, CancellationToken.None);
            }
        }
        context.Log.Info("follow stopped", ("txid", Txid.Format(txid)));
        return 0;
    }

    private static RestoreTarget ParseTarget(string? txidText, string? timestampText)
    {
        if (txidText is not null && timestampText is not null)
        {
            throw new UsageException("cannot specify both -txid and -timestamp");
        }
        if (txidText is not null)
        {
            return Txid.TryParse(txidText, out var txid) && txid > 0
                ? new RestoreTarget(txid, null)
                : throw new UsageException($"invalid -txid \"{txidText}\": expected 16 hex digits");
        }
        if (timestampText is not null)
        {
            return TimeFormat.TryParseRfc3339(timestampText, out var timestamp)
                ? new RestoreTarget(null, timestamp)
                : throw new UsageException($"invalid -timestamp \"{timestampText}\": expected RFC 3339 with its offset, e.g. 2026-01-02T15:04:05Z");
        }
        return RestoreTarget.Latest;
    }

    private static void WritePlan(CommandContext context, RestorePlan plan, string argument, string outputPath, ReplicaSource source, bool json)
    {
        var files = plan.Files.Select(f => new PlannedFile(
            f.Level, f.Name, Txid.Format(f.MinTxid), Txid.Format(f.MaxTxid), f.Size, TimeFormat.Rfc3339Nano(f.CreatedAt))).ToList();
        if (json)
        {
            Json.Write(context.Out, new DryRunPlan(
                argument, outputPath, source.Client.Type, Txid.Format(plan.MinTxid), Txid.Format(plan.MaxTxid), files));
            return;
        }
        context.Out.WriteLine("Restore plan:");
        context.Out.WriteLine($"  source:     {argument}");
        context.Out.WriteLine($"  target:     {outputPath}");
        context.Out.WriteLine($"  replica:    {source.Client.Type} {source.Client.DisplayLocation}");
        context.Out.WriteLine($"  txid range: {Txid.Format(plan.MinTxid)}-{Txid.Format(plan.MaxTxid)}");
        context.Out.WriteLine();
        var table = new TableWriter("level", "file", "min_txid", "max_txid", "size", "timestamp");
        foreach (var f in files)
        {
            table.Add(f.Level.ToString(CultureInfo.InvariantCulture), f.Name, f.MinTxid, f.MaxTxid, f.Size.ToString(CultureInfo.InvariantCulture), f.Timestamp);
        }
        table.WriteTo(context.Out);
    }

    internal sealed record RestoreSummary(string DbPath, string Replica, string Txid, long DurationMs, string IntegrityCheck);

    internal sealed record PlannedFile(int Level, string Name, string MinTxid, string MaxTxid, long Size, string Timestamp);

    internal sealed record DryRunPlan(string Source, string TargetPath, string Replica, string MinTxid, string MaxTxid, IReadOnlyList<PlannedFile> Files);
}
