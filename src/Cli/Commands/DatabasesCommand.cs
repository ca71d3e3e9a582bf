using System.Text.Json;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>litestream databases</c>: the databases in the config and their replicas; when the node run with that config is
/// up, also each replica's position, lag and last error (ours: upstream only reads the config).
/// </summary>
internal sealed class DatabasesCommand : ICommand
{
    public string Name => "databases";

    public string Summary => "List databases specified in config file";

    public string Usage => $$"""
        The databases command lists the databases in the configuration file and their
        replicas. When the node started with the same configuration is running, it also
        shows replication live: the database's TXID and, for each replica, the TXID it
        holds, its lag and its last error.

        Usage:

            litestream databases [arguments]

        Arguments:

        {{ConfigArguments.Help}}

        {{ControlArguments.Help}}

            -json
                Prints a JSON array instead of a table.
        """;

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
        var settings = ConfigLoader.LoadFile(ConfigFile.Resolve(control.Config.Path), control.Config.ExpandEnvironment);
        using var client = control.Connect(settings);
        var live = await control.LiveStatusAsync(client, cancellationToken);
        if (live is not null)
        {
            WriteLive(live.Value, json(), context);
            return 0;
        }
        var rows = settings.Replication.ScanDatabases()
            .Select(d => new DatabaseListing(d.Path, string.Join(",", d.Replicas.Select(TypeOf))))
            .ToList();
        if (json())
        {
            Json.Write(context.Out, rows);
            return 0;
        }
        var table = new TableWriter("path", "replica");
        rows.ForEach(r => table.Add(r.Path, r.Replica));
        table.WriteTo(context.Out);
        return 0;
    }


    private static void WriteLive(JsonElement databases, bool json, CommandContext context)
    {
        if (json)
        {
            Json.Write(context.Out, databases);
            return;
        }
        var table = new TableWriter("path", "replica", "status", "txid", "replica txid", "lag", "error");
        foreach (var database in databases.EnumerateArray())
        {
            var path = Text(database, "path");
            var replicas = database.GetProperty("replicas").EnumerateArray().ToList();
            if (replicas.Count == 0)
            {
                table.Add(path, "-", Text(database, "status"), Text(database, "txid"), "-", "-", Text(database, "last_error"));
            }
            foreach (var replica in replicas)
            {
                var lag = replica.GetProperty("lag_seconds") is { ValueKind: JsonValueKind.Number } seconds
                    ? seconds.GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "s"
                    : "-";
                table.Add(path, Text(replica, "name"), Text(database, "status"), Text(database, "txid"), Text(replica, "txid"), lag,
                    Text(replica, "last_error") is "-" ? Text(database, "last_error") : Text(replica, "last_error"));
            }
        }
        table.WriteTo(context.Out);
    }

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "-";

    private static string TypeOf(Actors.Settings.ReplicaSettings replica) => replica.Endpoint.BackendType;

    internal sealed record DatabaseListing(string Path, string Replica);
}
