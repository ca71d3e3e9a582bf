namespace LitestreamActors.Actors.Settings;

/// <summary>One database to replicate: its absolute path, capture and checkpoint tuning, and every replica target.</summary>
public sealed record DatabaseSettings(string Path, IReadOnlyList<ReplicaSettings> Replicas)
{
    /// <summary>Folder of local state; default <c>.&lt;name&gt;-litestream</c> beside the database, as upstream.</summary>
    public string? MetaPath { get; init; }

    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(1);

    public int MinCheckpointPageCount { get; init; } = 1000;

    /// <summary>WAL size in pages at which an emergency TRUNCATE checkpoint runs (~500 MB at 4 KiB pages).</summary>
    public int TruncatePageCount { get; init; } = 121359;

    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Before replicating, a missing database file is restored from its first replica with a backup (<c>restore-if-db-not-exists</c>).</summary>
    public bool RestoreIfMissing { get; init; }

    /// <summary>Local L0 bytes kept for replicas that are behind (ours, <c>max-local-ltx-bytes</c>, default 1 GiB).</summary>
    public long MaxLocalLtxBytes { get; init; } = 1L << 30;

    /// <summary>
    /// How often the capture compares every page of its state with the database as SQLite reads it (ours,
    /// <c>verify.capture-check-interval</c>); each L0 file is checked more cheaply before it is published.
    /// </summary>
    public TimeSpan CaptureCheckInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The full check also gives restore drills their expected checksum, so it runs at least as often as they do.</summary>
    public TimeSpan FullCheckInterval => Replicas.Select(r => r.DrillInterval).OfType<TimeSpan>().Append(CaptureCheckInterval).Min();

    public string ResolvedMetaPath =>
        MetaPath ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "." + System.IO.Path.GetFileName(Path) + "-litestream");
}
