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

    /// <summary>Local L0 bytes kept for replicas that are behind (ours, <c>max-local-ltx-bytes</c>, default 1 GiB).</summary>
    public long MaxLocalLtxBytes { get; init; } = 1L << 30;

    /// <summary>The capture tracks the source's checksum only when a replica runs restore drills against it.</summary>
    public bool TracksChecksums => Replicas.Any(r => r.DrillInterval is not null);

    public string ResolvedMetaPath =>
        MetaPath ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "." + System.IO.Path.GetFileName(Path) + "-litestream");
}
