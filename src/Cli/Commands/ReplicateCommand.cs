using LitestreamActors.Actors.Settings;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Hosting;
using LitestreamActors.Node.Logging;
using LitestreamActors.Storage;
using LitestreamActors.Storage.Replica;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream replicate</c>: runs the node, capturing every commit and shipping it to each replica.</summary>
internal sealed class ReplicateCommand : ICommand
{
    private static readonly TimeSpan ShutdownSyncTimeout = TimeSpan.FromSeconds(30);

    public string Name => "replicate";

    public string Summary => "Continuously replicate SQLite databases";

    public string Usage => $$"""
        The replicate command runs a server that continuously copies every committed
        transaction of each database to its replicas.

        Usage:

            litestream replicate [arguments]
            litestream replicate [arguments] DB_PATH REPLICA_URL [REPLICA_URL...]

        Arguments:

        {{ConfigArguments.Help}}

            -log-level LEVEL
                trace, debug, info, warn or error. Overrides LOG_LEVEL, which
                overrides the config's logging.level.

            -exec CMD
                Runs CMD (the application) once replication has started, forwarding
                SIGINT and SIGTERM to it; when it exits, a final sync, then exit with
                its exit code. Overrides the config's exec string.

            -restore-if-db-not-exists
                Before replicating, restores each database whose file is missing from
                the first of its replicas that holds a backup (a fresh start without one).

            -once
                Captures what is committed, uploads it to every replica, and exits.

            -force-snapshot
                With -once: also writes a snapshot (level 9) to every replica.

            -enforce-retention
                With -once: also applies the snapshot retention to every replica.

        SIGINT or SIGTERM stops the server after a final sync (bounded to 30s).
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        // Started while the command line and the config are read; stopped unused unless the node below takes it.
        using var early = EarlyLocalActorSystem.Begin();
        var flags = new FlagSet(Name);
        var config = new ConfigArguments(flags);
        var logLevelText = flags.OptionalString("log-level");
        var once = flags.Bool("once");
        var execFlag = flags.OptionalString("exec");
        var forceSnapshot = flags.Bool("force-snapshot");
        var enforceRetention = flags.Bool("enforce-retention");
        var restoreIfMissing = flags.Bool("restore-if-db-not-exists");
        flags.Parse(args);
        if ((forceSnapshot() || enforceRetention()) && !once())
        {
            throw new UsageException("-force-snapshot and -enforce-retention require -once");
        }

        NodeSettings settings;
        if (flags.Arguments.Count > 0)
        {
            if (!string.IsNullOrEmpty(config.Path))
            {
                throw new UsageException("cannot specify a database path and the -config flag");
            }
            if (flags.Arguments.Count == 1)
            {
                throw new UsageException("must specify at least one replica URL for " + flags.Arguments[0]);
            }
            var urls = flags.Arguments.Skip(1).Select(url => ReplicaUrl.IsUrl(url) ? url : throw new UsageException($"not a replica URL: {url}")).ToList();
            // Named as in a config: the scheme, then scheme-2, scheme-3.
            var names = ReplicaNames.Assign([.. urls.Select(url => new ReplicaNames.Entry(null, ReplicaUrl.SchemeOf(url)!, 0))]).Names!;
            var replicas = urls.Select((url, i) => new ReplicaSettings(names[i], new ReplicaEndpoint(string.Empty, url, null))).ToList();
            settings = new NodeSettings(new LitestreamSettings([new DatabaseSettings(PathExpander.DatabasePath(flags.Arguments[0]), replicas)]));
        }
        else
        {
            settings = ConfigLoader.LoadFile(ConfigFile.Resolve(config.Path), config.ExpandEnvironment);
        }
        var application = execFlag() ?? settings.ExecCommand;
        if (application is not null && once())
        {
            throw new UsageException("-exec cannot be combined with -once");
        }
        var words = application is null ? null : CommandLineWords.Split(application);
        var logLevel = ParseLogLevel(logLevelText() ?? Environment.GetEnvironmentVariable("LOG_LEVEL") ?? settings.Logging.Level ?? "info");
        using var sink = LogSink.For(settings.Logging, context.Out, context.Error);
        context.Log.Redirect(sink, logLevel);

        foreach (var warning in settings.Warnings)
        {
            context.Log.Warn(warning);
        }
        var databases = Validate(settings);
        if (databases.Count == 0 && settings.Replication.Directories.Count == 0)
        {
            context.Log.Warn("no databases specified in configuration");
        }

        context.Log.Info($"litestream {VersionCommand.Version}", ("mode", settings.Cluster is null ? "local" : "cluster"));
        // One replicating process per database on this machine, held until we exit; in a cluster each database takes it
        // when it becomes the owner (a standby waits for it).
        using var locks = new CompositeDisposable(settings.Cluster is not null ? [] : [.. databases.Select(d => Storage.Capture.LocalStateLock.Acquire(d.ResolvedMetaPath, d.Path))]);
        await StartupRestore.RunAsync(settings, restoreIfMissing(), context, cancellationToken);
        // A stop signal during start-up is honoured once started: the final sync below still runs, and the exit is clean.
        await using var node = await LitestreamNode.StartAsync(settings, VersionCommand.Version, new NodeLog(logLevel, sink), early, CancellationToken.None);
        var exitCode = 0;
        if (words is not null)
        {
            // The application may ask the node at once: its control socket listens before it starts.
            await node.EndpointsStarted;
            exitCode = await RunApplicationAsync(words, context, cancellationToken);
        }
        else if (!once())
        {
            var stopped = await Task.WhenAny(node.Terminated, Task.Delay(Timeout.Infinite, cancellationToken));
            if (stopped == node.Terminated)
            {
                // Nothing can sync any more; the storage lease keeps a stale writer out (docs/cluster.md).
                context.Log.Error("the actor system stopped (the cluster downed this node): replication stopped; start the node again to rejoin");
                return 1;
            }
            context.Log.Info("signal received, litestream shutting down");
        }
        // A backup that did not happen is never exit 0: a database whose final state did not reach every replica fails the run.
        var delivered = true;
        try
        {
            var done = await node.FinalSyncAsync(ShutdownSyncTimeout);
            foreach (var database in done.Databases)
            {
                if (database.Problem is { } problem)
                {
                    delivered = false;
                    context.Log.Error($"final sync failed: {problem}", ("path", database.Path));
                }
                else
                {
                    context.Log.Info("final sync complete", ("path", database.Path), ("txid", Storage.Ltx.Txid.Format(database.Txid)));
                }
            }
        }
        catch (Exception e) when (e is TimeoutException or Akka.Actor.AskTimeoutException or TaskCanceledException)
        {
            delivered = false;
            context.Log.Error($"final sync did not complete within {ShutdownSyncTimeout.TotalSeconds:0}s; unsent changes stay in the WAL and local L0 files and go out at the next start");
        }
        if (!delivered && exitCode == 0)
        {
            exitCode = 1;
        }
        if (forceSnapshot() || enforceRetention())
        {
            await MaintainOnceAsync(databases, forceSnapshot(), enforceRetention(), context, cancellationToken);
        }
        context.Log.Info("litestream shut down");
        return exitCode;
    }

    // Upstream's exec: the application runs beside replication; our stop signal goes to it, and its exit ends the node.
    private static async Task<int> RunApplicationAsync(IReadOnlyList<string> words, CommandContext context, CancellationToken cancellationToken)
    {
        using var child = ChildApplication.Start(words);
        context.Log.Info("application started", ("pid", child.Id), ("cmd", words[0]));
        var exited = child.WaitAsync();
        await Task.WhenAny(exited, Task.Delay(Timeout.Infinite, cancellationToken)).ContinueWith(_ => { }, TaskScheduler.Default);
        if (!exited.IsCompleted)
        {
            var signal = context.Signal.Last ?? System.Runtime.InteropServices.PosixSignal.SIGTERM;
            context.Log.Info("signal received, forwarding to the application", ("signal", signal), ("pid", child.Id));
            child.Signal(signal);
        }
        var code = await exited;
        context.Log.Info("application exited; final sync", ("code", code));
        return code;
    }

    // After the final sync of -once, as upstream: a snapshot and/or the snapshot retention on every replica.
    private static async Task MaintainOnceAsync(
        IReadOnlyList<Actors.Settings.DatabaseSettings> databases, bool snapshot, bool retention, CommandContext context, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"litestream-{Environment.ProcessId}");
        try
        {
            foreach (var replica in databases.SelectMany(d => d.Replicas))
            {
                await using var client = ReplicaClientFactory.Create(replica.Endpoint);
                if (snapshot && await new Storage.Compaction.SnapshotCompactor(client, scratch).SnapshotAsync(cancellationToken) is { } written)
                {
                    context.Log.Info("snapshot written", ("replica", client.DisplayLocation), ("txid", Storage.Ltx.Txid.Format(written.MaxTxid)));
                }
                if (retention)
                {
                    var deleted = await new Storage.Compaction.RetentionEnforcer(client, TimeProvider.System)
                        .EnforceSnapshotRetentionAsync(replica.SnapshotRetention, cancellationToken);
                    context.Log.Info("retention enforced", ("replica", client.DisplayLocation), ("deleted", deleted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    // Problems a user can fix get one clear line before anything starts. Returns the databases to replicate now: the
    // path: entries and what the dir: entries hold.
    internal static IReadOnlyList<Actors.Settings.DatabaseSettings> Validate(NodeSettings settings)
    {
        foreach (var directory in settings.Replication.Directories)
        {
            if (!Directory.Exists(directory.Directory))
            {
                throw new StorageException($"database directory does not exist: {directory.Directory}");
            }
            foreach (var replica in directory.Template.Replicas)
            {
                ReplicaClientFactory.Locate(replica.Endpoint);
            }
        }
        var databases = settings.Replication.ScanDatabases();
        if (settings.Replication.Directories.FirstOrDefault(d => !d.Watch && !databases.Any(database => d.Covers(database.Path))) is { } empty)
        {
            throw new StorageException($"no SQLite databases found in {empty.Directory} matching \"{empty.Pattern.Text}\" (set watch: true to wait for them)");
        }
        foreach (var database in databases)
        {
            var directory = Path.GetDirectoryName(database.Path)!;
            if (!Directory.Exists(directory))
            {
                throw new StorageException($"database directory does not exist: {directory}");
            }
            if (database.Replicas.Count == 0)
            {
                throw new StorageException($"database has no replica: {database.Path}");
            }
            foreach (var replica in database.Replicas)
            {
                ReplicaClientFactory.Locate(replica.Endpoint);
            }
        }
        return databases;
    }

    private static LogLevel ParseLogLevel(string text) => text.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => throw new UsageException($"invalid log level \"{text}\": expected trace, debug, info, warn or error"),
    };
}
