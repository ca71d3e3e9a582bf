using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Control;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>start</c>, <c>stop</c>, <c>sync</c>, <c>register</c> and <c>unregister</c>: one request about one database to the
/// running node, its answer printed as upstream's <c>key: value</c> lines or, with <c>-json</c>, as the node sent it.
/// </summary>
internal sealed class DatabaseRequestCommand(string name, string summary, string description, bool takesReplicaUrl, bool takesWait) : ICommand
{
    public string Name => name;

    public string Summary => summary;

    public string Usage => $$"""
        {{description}}

        Usage:

            litestream {{name}} [arguments] DB_PATH{{(takesReplicaUrl ? " REPLICA_URL\n    litestream " + name + " [arguments] -replica REPLICA_URL DB_PATH" : string.Empty)}}

        Arguments:

        {{ConfigArguments.Help}}

        {{ControlArguments.Help}}
        {{(takesWait ? "\n    -wait\n        Waits until every replica holds what was captured.\n" : string.Empty)}}{{(name == "unregister" ? "\n    -dry-run\n        Prints what would be done without contacting the node.\n" : string.Empty)}}
            -timeout SECONDS
                How long the node may take (default 30).

            -json
                Prints the node's answer as JSON.
        """;

    public static IReadOnlyList<ICommand> All { get; } =
    [
        new DatabaseRequestCommand("start", "Start replicating a stopped database", "The start command tells the running node to replicate a database it stopped.", false, false),
        new DatabaseRequestCommand("stop", "Stop replicating a database", "The stop command tells the running node to sync a database one last time and stop replicating it.", false, false),
        new DatabaseRequestCommand("sync", "Capture and upload now", "The sync command tells the running node to capture a database's committed changes now.", false, true),
        new DatabaseRequestCommand("promote", "Promote a warm standby to the database", "The promote command makes a warm standby (standbys: in a node's config) the database: the owner of its replica, if alive, syncs one last time and hands the replica over, the standby applies the last files and replicates from the next TXID. Asked of any node of a cluster; DB_PATH may be NODE:PATH.", false, false),
        new DatabaseRequestCommand("register", "Replicate a database not in the config", "The register command tells the running node to replicate a database to a replica URL until unregistered.", true, false),
        new DatabaseRequestCommand("unregister", "Stop replicating a registered database", "The unregister command tells the running node to sync a database one last time and forget it.", false, false),
    ];

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var control = new ControlArguments(flags);
        var json = flags.Bool("json");
        var wait = takesWait ? flags.Bool("wait") : () => false;
        var replicaFlag = takesReplicaUrl ? flags.OptionalString("replica") : () => null;
        var dryRun = name == "unregister" ? flags.Bool("dry-run") : () => false;
        var timeout = flags.String("timeout", "30");
        flags.Parse(args);
        // register takes its URL as upstream's -replica or as a second argument.
        var expected = takesReplicaUrl && replicaFlag() is null ? 2 : 1;
        if (flags.Arguments.Count != expected)
        {
            throw new UsageException(flags.Arguments.Count < expected ? (takesReplicaUrl ? "database path and replica URL required" : "database path required") : "too many arguments");
        }
        var seconds = TimeoutFlag.Seconds(timeout());
        // promote may name a standby of another node as NODE:PATH, which only the cluster resolves.
        var path = name == "promote" && Actors.Cluster.CatalogLookup.Split(flags.Arguments[0]).Node is not null
            ? flags.Arguments[0]
            : PathExpander.DatabasePath(flags.Arguments[0]);
        if (dryRun())
        {
            context.Out.WriteLine($"dry run: would sync {path} one last time and unregister it (the node is not contacted)");
            return 0;
        }
        var request = new ControlRequest(path, takesReplicaUrl ? replicaFlag() ?? flags.Arguments[1] : null, takesWait ? wait() : null, seconds);
        using var client = control.ConnectRequired();
        var answer = await client.PostAsync(Name, request, cancellationToken);
        if (json())
        {
            Json.Write(context.Out, answer);
            return 0;
        }
        // Upstream's keys; TXIDs in hex, as every other command of ours prints them.
        context.Out.WriteLine($"status: {answer.GetProperty("status").GetString()}");
        context.Out.WriteLine($"db_path: {answer.GetProperty("path").GetString()}");
        foreach (var (key, label) in new[] { ("txid", "txid"), ("replicated_txid", "replica_txid") })
        {
            if (answer.TryGetProperty(key, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                context.Out.WriteLine($"{label}: {value.GetString()}");
            }
        }
        return 0;
    }
}
