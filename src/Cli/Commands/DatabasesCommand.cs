using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream databases</c>: lists the databases in the config and their replicas.</summary>
internal sealed class DatabasesCommand : ICommand
{
    public string Name => "databases";

    public string Summary => "List databases specified in config file";

    public string Usage => $$"""
        The databases command lists the databases in the configuration file and the type of
        each one's replicas.

        Usage:

            litestream databases [arguments]

        Arguments:

        {{ConfigArguments.Help}}

            -json
                Prints a JSON array instead of a table.
        """;

    public Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var config = new ConfigArguments(flags);
        var json = flags.Bool("json");
        flags.Parse(args);
        if (flags.Arguments.Count > 0)
        {
            throw new UsageException("too many arguments");
        }
        var settings = ConfigLoader.LoadFile(ConfigFile.Resolve(config.Path), config.ExpandEnvironment);
        var rows = settings.Databases
            .Select(d => new DatabaseListing(d.Path, string.Join(",", d.Replicas.Select(TypeOf))))
            .ToList();
        if (json())
        {
            Json.Write(context.Out, rows);
            return Task.FromResult(0);
        }
        var table = new TableWriter("path", "replica");
        rows.ForEach(r => table.Add(r.Path, r.Replica));
        table.WriteTo(context.Out);
        return Task.FromResult(0);
    }

    private static string TypeOf(Actors.Settings.ReplicaSettings replica) =>
        replica.Endpoint.Type.Length > 0 ? replica.Endpoint.Type
        : replica.Endpoint.Url is { } url && ReplicaUrl.IsUrl(url) ? url[..url.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant()
        : "file";

    private sealed record DatabaseListing(string Path, string Replica);
}
