using System.Text.Json;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Node.Control;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>litestream cluster show | databases | leave ADDR | down ADDR</c>: the cluster as the node asked sees it, over its
/// control socket or <c>-addr</c> (docs/cluster.md, "Inspection").
/// </summary>
internal sealed class ClusterCommand : ICommand
{
    public string Name => "cluster";

    public string Summary => "Show and steer the cluster the running node belongs to";

    public string Usage => $$"""
        The cluster command asks the running node about the cluster it belongs to.

        Usage:

            litestream cluster show [arguments]
            litestream cluster databases [arguments]
            litestream cluster leave [arguments] ADDRESS
            litestream cluster down [arguments] ADDRESS

        show lists the members (address, status, reachability, leader, up since,
        databases); databases lists every replica of every database on every node;
        leave asks a member to leave the cluster; down marks an unreachable member
        down. ADDRESS is a member's address or its host:port.

        Arguments:

        {{ConfigArguments.Help}}

        {{ControlArguments.Help}}

            -timeout SECONDS
                How long the node may take to answer (default 10).

            -json
                Prints the node's answer as JSON.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new UsageException("cluster needs a subcommand: show, databases, leave or down");
        }
        var action = args[0];
        if (action is not ("show" or "databases" or "leave" or "down"))
        {
            throw new UsageException($"unknown cluster subcommand \"{action}\" (one of: show, databases, leave, down)");
        }
        var flags = new FlagSet($"cluster {action}");
        var control = new ControlArguments(flags);
        var json = flags.Bool("json");
        var timeout = flags.String("timeout", "10");
        flags.Parse(args.Skip(1).ToList());
        var wantsAddress = action is "leave" or "down";
        if (flags.Arguments.Count != (wantsAddress ? 1 : 0))
        {
            throw new UsageException(wantsAddress ? $"cluster {action} needs one member address" : "too many arguments");
        }
        var seconds = TimeoutFlag.Seconds(timeout());
        using var client = control.ConnectRequired();
        var answer = await NodeAnswer.WithinAsync(token => action switch
        {
            "show" => client.GetAsync("cluster/members", token),
            "databases" => client.GetAsync("cluster/databases", token),
            _ => client.PostAsync($"cluster/{action}", new ClusterRequest(flags.Arguments[0]), token),
        }, seconds, $"cluster {action}", cancellationToken);
        if (json())
        {
            Json.Write(context.Out, answer);
            return 0;
        }
        switch (action)
        {
            case "show":
                PrintMembers(answer, context.Out);
                break;
            case "databases":
                PrintDatabases(answer, context.Out);
                break;
            default:
                context.Out.WriteLine($"{answer.GetProperty("address").GetString()}: {answer.GetProperty("status").GetString()}");
                break;
        }
        return 0;
    }

    private static void PrintMembers(JsonElement answer, TextWriter output)
    {
        var table = new TableWriter("address", "status", "reachable", "leader", "up since", "databases");
        foreach (var member in answer.GetProperty("members").EnumerateArray())
        {
            table.Add(
                member.GetProperty("address").GetString()!,
                member.GetProperty("status").GetString()!,
                member.GetProperty("reachable").GetBoolean() ? "yes" : "no",
                member.GetProperty("leader").GetBoolean() ? "yes" : "",
                member.GetProperty("up_since") is { ValueKind: JsonValueKind.String } at ? TimeFormat.Rfc3339(at.GetDateTimeOffset()) : "-",
                member.GetProperty("databases").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        table.WriteTo(output);
    }

    private static void PrintDatabases(JsonElement answer, TextWriter output)
    {
        var table = new TableWriter("node", "database", "replica", "target", "state", "owner", "txid", "replica txid", "lag");
        foreach (var row in answer.GetProperty("databases").EnumerateArray())
        {
            table.Add(
                row.GetProperty("node").GetString()!,
                row.GetProperty("database").GetString()!,
                row.GetProperty("replica").GetString()!,
                row.GetProperty("target").GetString()!,
                row.GetProperty("state").GetString()!,
                row.GetProperty("owner").GetString()!,
                row.GetProperty("txid").GetString() ?? "-",
                row.GetProperty("replica_txid").GetString() ?? "-",
                row.GetProperty("lag_seconds") is { ValueKind: JsonValueKind.Number } lag ? $"{lag.GetInt64()}s" : "-");
        }
        table.WriteTo(output);
    }
}
