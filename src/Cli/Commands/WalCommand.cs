using System.Globalization;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// <c>litestream wal</c>, deprecated, kept so old scripts run (it says so on stderr): on a Litestream 0.3 backup it
/// lists the WAL segments as 0.3 did; otherwise it is <c>ltx</c>.
/// </summary>
internal sealed class WalCommand(LtxCommand ltx) : ICommand
{
    public string Name => "wal";

    public string Summary => "Deprecated: use ltx";

    public string Usage => "The wal command is deprecated. On a Litestream 0.3 backup it lists its WAL segments\n"
        + "(-generation NAME narrows them); otherwise it runs the ltx command.\n\n" + ltx.Usage.Replace("litestream ltx", "litestream wal", StringComparison.Ordinal);

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        context.Error.WriteLine("Warning: the wal command is deprecated; use \"litestream ltx\" instead.");
        if (args.Any(a => a.TrimStart('-').StartsWith("level", StringComparison.Ordinal)))
        {
            return await ltx.RunAsync(args, context, cancellationToken);
        }
        var arguments = new V3BackupArguments(new FlagSet(Name));
        var (source, backup) = await arguments.LoadAsync(args, cancellationToken);
        await using var owned = source;
        if (backup.IsEmpty)
        {
            return await ltx.RunAsync(args, context, cancellationToken);
        }
        var rows = backup.Segments.Where(s => arguments.Includes(s.Generation))
            .Select(s => new SegmentRow(source.Client.Type, s.Generation, Hex(s.Index), Hex(s.Offset), s.Size, TimeFormat.Rfc3339(s.CreatedAt)))
            .ToList();
        if (arguments.Json)
        {
            Json.Write(context.Out, rows);
            return 0;
        }
        var table = new TableWriter("replica", "generation", "index", "offset", "size", "created");
        foreach (var row in rows)
        {
            table.Add(row.Replica, row.Generation, row.Index, row.Offset, row.Size.ToString(CultureInfo.InvariantCulture), row.Created);
        }
        table.WriteTo(context.Out);
        return 0;
    }

    private static string Hex(long value) => value.ToString("x8", CultureInfo.InvariantCulture);

    internal sealed record SegmentRow(string Replica, string Generation, string Index, string Offset, long Size, string Created);
}
