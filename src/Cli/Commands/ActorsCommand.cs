using System.Globalization;
using System.Text.Json;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>litestream actors [PATH] [-depth N] [-node ADDR]</c>: the running node's actor tree (or another member's), one
/// actor a line, indented by depth, with its class, mailbox size and restarts (docs/cluster.md, "Inspection").
/// </summary>
internal sealed class ActorsCommand : ICommand
{
    public string Name => "actors";

    public string Summary => "Show the running node's actor tree";

    public string Usage => $$"""
        The actors command shows the running node's actors: path, class, messages
        waiting in the mailbox and restarts since the node started.

        Usage:

            litestream actors [arguments] [PATH]

        PATH is an actor path such as /user/litestream (default /user).

        Arguments:

        {{ConfigArguments.Help}}

        {{ControlArguments.Help}}

            -depth N
                How many levels below PATH to show (default 10).

            -node ADDRESS
                Asks another member of the cluster (its address or host:port).

            -json
                Prints the tree as JSON.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var control = new ControlArguments(flags);
        var json = flags.Bool("json");
        var depthText = flags.String("depth", "10");
        var node = flags.OptionalString("node");
        flags.Parse(args);
        if (flags.Arguments.Count > 1)
        {
            throw new UsageException("too many arguments");
        }
        if (!int.TryParse(depthText(), NumberStyles.None, CultureInfo.InvariantCulture, out var depth))
        {
            throw new UsageException($"invalid -depth \"{depthText()}\": expected a whole number");
        }
        var query = $"actors?depth={depth}"
            + (flags.Arguments.Count == 1 ? "&path=" + Uri.EscapeDataString(flags.Arguments[0]) : string.Empty)
            + (node() is { } address ? "&node=" + Uri.EscapeDataString(address) : string.Empty);
        using var client = control.ConnectRequired();
        var root = await client.GetAsync(query, cancellationToken);
        if (json())
        {
            Json.Write(context.Out, root);
            return 0;
        }
        var table = new TableWriter("actor", "type", "mailbox", "restarts");
        Add(table, root, 0);
        table.WriteTo(context.Out);
        return 0;
    }

    private static void Add(TableWriter table, JsonElement actor, int indent)
    {
        var path = actor.GetProperty("path").GetString()!;
        table.Add(
            new string(' ', indent * 2) + (indent == 0 ? path : path[(path.LastIndexOf('/') + 1)..]),
            actor.GetProperty("type").GetString()!,
            actor.GetProperty("mailbox").GetInt32().ToString(CultureInfo.InvariantCulture),
            actor.GetProperty("restarts").GetInt32().ToString(CultureInfo.InvariantCulture));
        foreach (var child in actor.GetProperty("children").EnumerateArray())
        {
            Add(table, child, indent + 1);
        }
    }
}
