using System.Globalization;
using LitestreamActors.Cli.Flags;
using LitestreamActors.Cli.Output;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;
using LitestreamActors.Storage.V3;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// Restores of Litestream 0.3 backups (<c>generations/…</c>), chosen as upstream chooses: only without -txid and
/// -f; by the most recent backup of either format, or with -timestamp the newest state before it; always with
/// 0.3's -generation or -index.
/// </summary>
internal static class V3RestoreChoice
{
    /// <returns>The 0.3 plan to use instead of the LTX one, or null to restore from LTX files.</returns>
    public static async Task<V3RestorePlan?> ChooseAsync(
        IReplicaClient client, RestoreTarget target, string? generation, uint? index, CancellationToken cancellationToken)
    {
        var v3Asked = generation is not null || index is not null;
        V3Backup backup;
        try
        {
            backup = await V3Backup.ListAsync(client, cancellationToken);
        }
        catch (Storage.StorageException) when (!v3Asked)
        {
            return null;
        }
        if (backup.IsEmpty && !v3Asked)
        {
            return null;
        }
        var v3Target = new V3RestoreTarget(target.Timestamp, generation, index);
        if (v3Asked)
        {
            return V3RestorePlanner.Plan(backup, v3Target);
        }
        RestorePlan? ltx;
        try
        {
            ltx = await RestorePlanner.PlanAsync(client, target, cancellationToken);
        }
        catch (NoBackupsException)
        {
            ltx = null;
        }
        V3RestorePlan v3;
        try
        {
            v3 = V3RestorePlanner.Plan(backup, v3Target);
        }
        catch (NoBackupsException) when (ltx is not null)
        {
            return null;
        }
        return ltx is null || v3.CreatedAt > ltx.Files.Max(f => f.CreatedAt) ? v3 : null;
    }

    public static async Task<int> RunAsync(
        CommandContext context, IReplicaClient client, V3RestorePlan plan, string outputPath, IntegrityCheckMode integrity, bool overwrite,
        bool dryRun, bool json, CancellationToken cancellationToken)
    {
        if (dryRun)
        {
            WritePlan(context, plan, outputPath, client, json);
            return 0;
        }
        var started = DateTimeOffset.UtcNow;
        var result = await V3Restorer.RestoreAsync(client, plan, outputPath, integrity, overwrite, cancellationToken);
        var duration = (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds;
        if (json)
        {
            Json.Write(context.Out, new V3Summary(result.OutputPath, client.Type, result.Generation, Index(result.Index), duration));
        }
        else
        {
            context.Log.Info("restore complete (Litestream 0.3 backup)", ("path", result.OutputPath), ("generation", result.Generation),
                ("index", Index(result.Index)), ("wal_segments", result.SegmentCount), ("duration_ms", duration));
        }
        return 0;
    }

    public static uint? ParseIndex(string? text) => text is null ? null
        : uint.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var index) ? index
        : throw new UsageException($"invalid -index \"{text}\": expected a WAL index in hex, e.g. 0000000a");

    private static void WritePlan(CommandContext context, V3RestorePlan plan, string outputPath, IReplicaClient client, bool json)
    {
        var files = new[] { new V3File(plan.Snapshot.Path, plan.Snapshot.Size, TimeFormat.Rfc3339Nano(plan.Snapshot.CreatedAt)) }
            .Concat(plan.Segments.Select(s => new V3File(s.Path, s.Size, TimeFormat.Rfc3339Nano(s.CreatedAt)))).ToList();
        if (json)
        {
            Json.Write(context.Out, new V3PlanView(outputPath, client.Type, "v0.3", plan.Snapshot.Generation, files));
            return;
        }
        context.Out.WriteLine("Restore plan (Litestream 0.3 backup):");
        context.Out.WriteLine($"  target:     {outputPath}");
        context.Out.WriteLine($"  replica:    {client.Type} {client.DisplayLocation}");
        context.Out.WriteLine($"  generation: {plan.Snapshot.Generation}");
        context.Out.WriteLine();
        var table = new TableWriter("file", "size", "created");
        foreach (var f in files)
        {
            table.Add(f.Path, f.Size.ToString(CultureInfo.InvariantCulture), f.Created);
        }
        table.WriteTo(context.Out);
    }

    private static string Index(uint index) => index.ToString("x8", CultureInfo.InvariantCulture);

    internal sealed record V3Summary(string DbPath, string Replica, string Generation, string Index, long DurationMs);

    internal sealed record V3File(string Path, long Size, string Created);

    internal sealed record V3PlanView(string TargetPath, string Replica, string Format, string Generation, IReadOnlyList<V3File> Files);
}
