using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;

namespace LitestreamActors.Cli.Commands;

/// <summary><c>litestream generations</c>: the generations of a Litestream 0.3 backup, as 0.3 listed them.</summary>
internal sealed class GenerationsCommand : ICommand
{
    public string Name => "generations";

    public string Summary => "List generations of a Litestream 0.3 backup";

    public string Usage => $$"""
        The generations command lists the generations of a Litestream 0.3 backup
        (generations/<id>/ in the replica), with the time span each covers.

        Usage:

            litestream generations [arguments] DB_PATH
            litestream generations [arguments] REPLICA_URL

        Arguments:

        {{ConfigArguments.Help}}

        {{V3BackupArguments.Help}}
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, CommandContext context, CancellationToken cancellationToken)
    {
        var arguments = new V3BackupArguments(new FlagSet(Name));
        var (source, backup) = await arguments.LoadAsync(args, cancellationToken);
        await using var owned = source;
        var now = DateTimeOffset.UtcNow;
        var rows = backup.Generations.Where(arguments.Includes).Select(generation =>
        {
            var times = backup.Snapshots.Where(s => s.Generation == generation).Select(s => s.CreatedAt)
                .Concat(backup.Segments.Where(s => s.Generation == generation).Select(s => s.CreatedAt)).ToList();
            return new GenerationRow(source.Client.Type, generation, (long)(now - times.Max()).TotalSeconds, TimeFormat.Rfc3339(times.Min()), TimeFormat.Rfc3339(times.Max()));
        }).ToList();
        if (arguments.Json)
        {
            Json.Write(context.Out, rows);
            return 0;
        }
        var table = new TableWriter("name", "generation", "lag", "start", "end");
        foreach (var row in rows)
        {
            table.Add(row.Name, row.Generation, $"{row.LagSeconds}s", row.Start, row.End);
        }
        table.WriteTo(context.Out);
        return 0;
    }

    internal sealed record GenerationRow(string Name, string Generation, long LagSeconds, string Start, string End);
}
