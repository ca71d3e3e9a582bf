using System.Globalization;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream snapshots</c>: the snapshots of a Litestream 0.3 backup, as 0.3 listed them.</summary>
internal sealed class SnapshotsCommand : ICommand
{
    public string Name => "snapshots";

    public string Summary => "List snapshots of a Litestream 0.3 backup";

    public string Usage => $$"""
        The snapshots command lists the snapshots of a Litestream 0.3 backup. For LTX
        replicas, "litestream ltx -level 9" lists their snapshots.

        Usage:

            litestream snapshots [arguments] DB_PATH
            litestream snapshots [arguments] REPLICA_URL

        Arguments:

        {{ConfigArguments.Help}}

        {{V3BackupArguments.Help}}
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var arguments = new V3BackupArguments(new FlagSet(Name));
        var (source, backup) = await arguments.LoadAsync(args, cancellationToken);
        await using var owned = source;
        var rows = backup.Snapshots.Where(s => arguments.Includes(s.Generation))
            .Select(s => new SnapshotRow(source.Client.Type, s.Generation, s.Index.ToString("x8", CultureInfo.InvariantCulture), s.Size, TimeFormat.Rfc3339(s.CreatedAt)))
            .ToList();
        if (arguments.Json)
        {
            Json.Write(context.Out, rows);
            return 0;
        }
        var table = new TableWriter("replica", "generation", "index", "size", "created");
        foreach (var row in rows)
        {
            table.Add(row.Replica, row.Generation, row.Index, row.Size.ToString(CultureInfo.InvariantCulture), row.Created);
        }
        table.WriteTo(context.Out);
        return 0;
    }

    internal sealed record SnapshotRow(string Replica, string Generation, string Index, long Size, string Created);
}
