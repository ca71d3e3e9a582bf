using System.Globalization;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream ltx</c>: lists the LTX files of a replica, by level.</summary>
internal sealed class LtxCommand : ICommand
{
    public string Name => "ltx";

    public string Summary => "List LTX files in a replica";

    public string Usage => $$"""
        The ltx command lists the LTX files of a database's replica.

        Usage:

            litestream ltx [arguments] DB_PATH
            litestream ltx [arguments] REPLICA_URL

        Arguments:

        {{ConfigArguments.Help}}

            -replica NAME
                Lists the replica of that name when a database has several.

            -level LEVEL
                Level to list: 0-9 (9 holds snapshots) or "all". Defaults to 0.

            -json
                Prints a JSON array instead of a table.

        Examples:

            # List the L0 files of a database from the config.
            $ litestream ltx /var/lib/app.db

            # List snapshots in a replica folder.
            $ litestream ltx -level 9 file:///backups/app
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var flags = new FlagSet(Name);
        var config = new ConfigArguments(flags);
        var replicaName = flags.OptionalString("replica");
        var levelText = flags.String("level", "0");
        var json = flags.Bool("json");
        var argument = flags.ParseDatabaseOrReplica(args);
        var levels = ParseLevels(levelText());
        await using var source = ReplicaSource.Resolve(argument, config.Path, !config.ExpandEnvironment, replicaName());

        var files = new List<LtxFileInfo>();
        foreach (var level in levels)
        {
            files.AddRange(await source.Client.ListAsync(level, cancellationToken));
        }

        if (json())
        {
            Json.Write(context.Out, files.Select(f => new LtxListing(
                f.Level, Txid.Format(f.MinTxid), Txid.Format(f.MaxTxid), f.Size, TimeFormat.Rfc3339Nano(f.CreatedAt))));
            return 0;
        }
        var table = new TableWriter("level", "min_txid", "max_txid", "size", "created");
        foreach (var f in files)
        {
            table.Add(
                f.Level.ToString(CultureInfo.InvariantCulture), Txid.Format(f.MinTxid), Txid.Format(f.MaxTxid),
                f.Size.ToString(CultureInfo.InvariantCulture), TimeFormat.Rfc3339(f.CreatedAt));
        }
        table.WriteTo(context.Out);
        return 0;
    }

    private static IReadOnlyList<int> ParseLevels(string text)
    {
        if (text == "all")
        {
            return Enumerable.Range(0, LtxFileInfo.MaxLevel + 1).ToArray();
        }
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level <= LtxFileInfo.MaxLevel)
        {
            return [level];
        }
        throw new UsageException($"invalid -level \"{text}\": expected 0-9 or all");
    }

    internal sealed record LtxListing(int Level, string MinTxid, string MaxTxid, long Size, string Timestamp);
}
