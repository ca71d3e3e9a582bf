using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Storage.Tests;

public sealed class CheckpointThresholdsTests
{
    private const uint PageSize = 4096;
    private static readonly CheckpointThresholds Defaults = new(MinPages: 1000, TruncatePages: 121359);

    [Theory]
    [InlineData(0, false, null)]
    [InlineData(999, false, null)]
    [InlineData(999, true, CheckpointMode.Passive)]
    [InlineData(1000, false, CheckpointMode.Passive)]
    [InlineData(121358, false, CheckpointMode.Passive)]
    [InlineData(121359, false, CheckpointMode.Truncate)]
    public void Upstream_thresholds_count_the_pages_captured_in_the_WAL_generation(int walPages, bool intervalElapsed, CheckpointMode? due) =>
        Assert.Equal(due, Defaults.Due(At(walPages), intervalElapsed));

    [Fact]
    public void An_empty_generation_needs_no_checkpoint_even_after_the_interval() =>
        Assert.Null(Defaults.Due(At(0), intervalElapsedWithChanges: true));

    [Fact]
    public void A_small_capture_that_reaches_the_threshold_is_taken_under_the_checkpoint() =>
        Assert.Equal(CheckpointMode.Passive, Defaults.FoldInto(Plan(walPagesAfter: 1200, pages: 30), intervalElapsed: false));

    [Fact]
    public void A_capture_that_leaves_the_WAL_under_the_threshold_is_written_as_usual() =>
        Assert.Null(Defaults.FoldInto(Plan(walPagesAfter: 900, pages: 30), intervalElapsed: false));

    [Fact]
    public void A_capture_folds_into_the_checkpoint_the_interval_makes_due() =>
        Assert.Equal(CheckpointMode.Passive, Defaults.FoldInto(Plan(walPagesAfter: 10, pages: 3), intervalElapsed: true));

    [Fact]
    public void A_capture_larger_than_the_fold_limit_is_written_before_the_checkpoint()
    {
        var most = (int)(CheckpointThresholds.FoldBytes / PageSize);
        Assert.Equal(CheckpointMode.Passive, Defaults.FoldInto(Plan(walPagesAfter: 5000, pages: most), intervalElapsed: false));
        Assert.Null(Defaults.FoldInto(Plan(walPagesAfter: 5000, pages: most + 1), intervalElapsed: false));
    }

    [Fact]
    public void Full_files_never_fold()
    {
        Assert.Null(Defaults.FoldInto(Plan(walPagesAfter: 1200, pages: 3) with { IsSnapshot = true }, intervalElapsed: true));
        Assert.Null(Defaults.FoldInto(Plan(walPagesAfter: 1200, pages: 3) with { ByComparison = true }, intervalElapsed: true));
    }

    private static CapturePosition At(int walPages) =>
        new(7, 1, 2, Wal.WalHeader.Size + (long)walPages * (PageSize + Wal.WalFrameHeader.Size), 10, PageSize);

    private static L0Plan Plan(int walPagesAfter, int pages)
    {
        var frameBytes = PageSize + Wal.WalFrameHeader.Size;
        var walPages = Enumerable.Range(1, pages).ToDictionary(pgno => (uint)pgno, pgno => Wal.WalHeader.Size + (long)(pgno - 1) * frameBytes);
        var walSize = (long)walPagesAfter * frameBytes;
        return new L0Plan(8, false, PageSize, (uint)pages, Wal.WalHeader.Size, walSize, 1, 2, walPages, [],
            new SqliteSnapshot(1, 2, (uint)walPagesAfter, (uint)pages, PageSize, 0, 0));
    }
}
