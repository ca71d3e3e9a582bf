namespace LitestreamActors.Storage.Capture;

/// <summary>
/// When a checkpoint is due, by upstream's thresholds (PASSIVE at <see cref="MinPages"/> WAL pages, or after the
/// checkpoint interval with changes; TRUNCATE at <see cref="TruncatePages"/>), and whether a capture is small enough
/// to be taken under that checkpoint's write barrier instead of before it (docs/capture.md, "One file per checkpoint").
/// </summary>
public sealed record CheckpointThresholds(int MinPages, int TruncatePages)
{
    /// <summary>The most a capture folded into a checkpoint writes: the application's writers wait for it.</summary>
    public const long FoldBytes = 1 << 20;

    /// <summary>The checkpoint due once the capture is at <paramref name="position"/>, if any.</summary>
    public CheckpointMode? Due(CapturePosition? position, bool intervalElapsedWithChanges)
    {
        // The extent captured in the current WAL generation, not the file's length: a restarted WAL keeps its size.
        var pages = position is { PageSize: > 0 } p && p.WalEnd > Wal.WalHeader.Size
            ? (p.WalEnd - Wal.WalHeader.Size) / (p.PageSize + Wal.WalFrameHeader.Size)
            : 0;
        return pages >= TruncatePages ? CheckpointMode.Truncate
            : pages >= MinPages || (intervalElapsedWithChanges && pages > 0) ? CheckpointMode.Passive
            : null;
    }

    /// <summary>
    /// The checkpoint that would follow <paramref name="plan"/>'s file at once, when the plan is small enough to be
    /// captured under that checkpoint's barrier instead: then a busy writer costs one file per checkpoint, not two
    /// (the capture, then what came during it). Null: write the plan's file as usual. Full files never fold.
    /// </summary>
    public CheckpointMode? FoldInto(L0Plan plan, bool intervalElapsed) =>
        plan.IsSnapshot || plan.ByComparison || (long)plan.PageCount * plan.PageSize > FoldBytes
            ? null
            : Due(plan.Position, intervalElapsed);
}
