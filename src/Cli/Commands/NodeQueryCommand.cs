using System.Text.Json;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>info</c> and <c>list</c>: what the running node says about itself and its databases.</summary>
internal sealed class NodeQueryCommand(string name, string summary, string description, Action<JsonElement, TextWriter> print) : ICommand
{
    public string Name => name;

    public string Summary => summary;

    public string Usage => $$"""
        {{description}}

        Usage:

            litestream {{name}} [arguments]

        Arguments:

        {{ConfigArguments.Help}}

        {{ControlArguments.Help}}

            -json
                Prints the node's answer as JSON.
        """;

    public static IReadOnlyList<ICommand> All { get; } =
    [
        new NodeQueryCommand("info", "Show the running node's version and uptime", "The info command shows the running node's version, process, uptime and database count.", (answer, output) =>
        {
            foreach (var property in answer.EnumerateObject())
            {
                output.WriteLine($"{property.Name,-16}{property.Value}");
            }
        }),
        new NodeQueryCommand("list", "List the running node's databases", "The list command lists the databases the running node knows, with their state.", (answer, output) =>
        {
            var table = new TableWriter("path", "status", "last sync");
            foreach (var database in answer.GetProperty("databases").EnumerateArray())
            {
                table.Add(database.GetProperty("path").GetString()!, database.GetProperty("status").GetString()!,
                    database.GetProperty("last_sync_at") is { ValueKind: JsonValueKind.String } at ? at.GetString()! : "-");
            }
            table.WriteTo(output);
        }),
    ];

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var control = new ControlArguments(flags);
        var json = flags.Bool("json");
        flags.Parse(args);
        if (flags.Arguments.Count > 0)
        {
            throw new UsageException("too many arguments");
        }
        using var client = control.ConnectRequired();
        var answer = await client.GetAsync(Name, cancellationToken);
        if (json())
        {
            Json.Write(context.Out, answer);
        }
        else
        {
            print(answer, context.Out);
        }
        return 0;
    }
}
