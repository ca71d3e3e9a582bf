using System.Text.Json;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>info</c> and <c>list</c>: what the running node says about itself and its databases.</summary>
internal sealed class NodeQueryCommand(string name, string summary, string description) : ICommand
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

            -timeout SECONDS
                How long the node may take to answer (default 10).

            -json
                Prints the node's answer as JSON.
        """;

    public static IReadOnlyList<ICommand> All { get; } =
    [
        new NodeQueryCommand("info", "Show the running node's version and uptime", "The info command shows the running node's version, process, uptime and database count."),
        new NodeQueryCommand("list", "List the running node's databases", "The list command lists the databases the running node knows, with their state."),
    ];

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var control = new ControlArguments(flags);
        var json = flags.Bool("json");
        var timeout = flags.String("timeout", "10");
        flags.Parse(args);
        if (flags.Arguments.Count > 0)
        {
            throw new UsageException("too many arguments");
        }
        var seconds = TimeoutFlag.Seconds(timeout());
        using var client = control.ConnectRequired();
        var answer = await NodeAnswer.WithinAsync(token => client.GetAsync(Name, token), seconds, Name, cancellationToken);
        if (json())
        {
            Json.Write(context.Out, answer);
        }
        else
        {
            Print(answer, context.Out);
        }
        return 0;
    }

    // Methods, not delegates made with the command table: a delegate over JsonElement loaded System.Text.Json for every
    // command, replicate among them (docs/performance.md, "Memory").
    private void Print(JsonElement answer, TextWriter output)
    {
        if (name == "info")
        {
            PrintInfo(answer, output);
        }
        else
        {
            PrintList(answer, output);
        }
    }

    // Upstream's text: key: value lines.
    private static void PrintInfo(JsonElement answer, TextWriter output)
    {
        output.WriteLine($"Litestream {answer.GetProperty("version").GetString()}");
        output.WriteLine($"PID: {answer.GetProperty("pid").GetInt64()}");
        output.WriteLine($"Uptime: {TimeSpan.FromSeconds(answer.GetProperty("uptime_seconds").GetInt64())}");
        output.WriteLine($"Started at: {TimeFormat.Rfc3339(answer.GetProperty("started_at").GetDateTimeOffset())}");
        output.WriteLine($"Databases: {answer.GetProperty("database_count").GetInt64()}");
    }

    private static void PrintList(JsonElement answer, TextWriter output)
    {
        var databases = answer.GetProperty("databases").EnumerateArray().ToList();
        if (databases.Count == 0)
        {
            output.WriteLine("No databases configured");
        }
        foreach (var database in databases)
        {
            var lastSync = database.GetProperty("last_sync_at") is { ValueKind: JsonValueKind.String } at ? TimeFormat.Rfc3339(at.GetDateTimeOffset()) : "never";
            output.WriteLine($"{database.GetProperty("path").GetString()} [{database.GetProperty("status").GetString()}] (last sync: {lastSync})");
        }
    }
}
