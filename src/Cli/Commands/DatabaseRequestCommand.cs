using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Control;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>start</c>, <c>stop</c>, <c>sync</c>, <c>register</c> and <c>unregister</c>: one request about one database to the
/// running node, its answer printed as <c>status path txid</c> or, with <c>-json</c>, as the node sent it.
/// </summary>
internal sealed class DatabaseRequestCommand(string name, string summary, string description, bool takesReplicaUrl, bool takesWait) : ICommand
{
    public string Name => name;

    public string Summary => summary;

    public string Usage => $$"""
        {{description}}

        Usage:

            litestream {{name}} [arguments] DB_PATH{{(takesReplicaUrl ? " REPLICA_URL" : string.Empty)}}

        Arguments:

        {{ConfigArguments.Help}}

        {{ControlArguments.Help}}
        {{(takesWait ? "\n    -wait\n        Waits until every replica holds what was captured.\n" : string.Empty)}}
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
        new DatabaseRequestCommand("register", "Replicate a database not in the config", "The register command tells the running node to replicate a database to a replica URL until unregistered.", true, false),
        new DatabaseRequestCommand("unregister", "Stop replicating a registered database", "The unregister command tells the running node to sync a database one last time and forget it.", false, false),
    ];

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var control = new ControlArguments(flags);
        var json = flags.Bool("json");
        var wait = takesWait ? flags.Bool("wait") : () => false;
        var timeout = flags.String("timeout", "30");
        flags.Parse(args);
        var expected = takesReplicaUrl ? 2 : 1;
        if (flags.Arguments.Count != expected)
        {
            throw new UsageException(flags.Arguments.Count < expected ? (takesReplicaUrl ? "database path and replica URL required" : "database path required") : "too many arguments");
        }
        if (!double.TryParse(timeout(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            throw new UsageException($"invalid -timeout \"{timeout()}\": expected seconds above zero");
        }
        var request = new ControlRequest(
            PathExpander.DatabasePath(flags.Arguments[0]), takesReplicaUrl ? flags.Arguments[1] : null, takesWait ? wait() : null, seconds);
        using var client = control.ConnectRequired();
        var answer = await client.PostAsync(Name, request, cancellationToken);
        if (json())
        {
            Json.Write(context.Out, answer);
            return 0;
        }
        var txid = answer.TryGetProperty("txid", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.String ? " txid=" + t.GetString() : string.Empty;
        context.Out.WriteLine($"{answer.GetProperty("status").GetString()} {answer.GetProperty("path").GetString()}{txid}");
        return 0;
    }
}
