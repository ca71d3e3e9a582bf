using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Storage.Tests;

public sealed class RestorePlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static LtxFileInfo F(int level, ulong min, ulong max, int second = 0) => new(level, min, max, 100, T0.AddSeconds(second == 0 ? (double)max : second));

    private static IReadOnlyList<IReadOnlyList<LtxFileInfo>> Levels(params LtxFileInfo[] files) =>
        Enumerable.Range(0, 10).Select(l => (IReadOnlyList<LtxFileInfo>)files.Where(f => f.Level == l).OrderBy(f => f.MinTxid).ToList()).ToList();

    private static string Names(RestorePlan plan) => string.Join(" ", plan.Files.Select(f => $"L{f.Level}:{f.MinTxid}-{f.MaxTxid}"));

    [Fact]
    public void Latest_uses_the_snapshot_then_the_highest_levels_then_l0()
    {
        var levels = Levels(
            F(0, 1, 1), F(0, 2, 2), F(0, 3, 3), F(0, 4, 4), F(0, 5, 5), F(0, 6, 6), F(0, 7, 7),
            F(1, 1, 3), F(1, 4, 6),
            F(2, 1, 6),
            F(9, 1, 4));
        Assert.Equal("L9:1-4 L2:1-6 L0:7-7", Names(RestorePlanner.Plan(levels, RestoreTarget.Latest)));
    }

    [Fact]
    public void A_txid_target_stops_at_that_file_boundary()
    {
        var levels = Levels(F(0, 1, 1), F(0, 2, 2), F(0, 3, 3), F(1, 1, 3));
        Assert.Equal("L0:1-1 L0:2-2", Names(RestorePlanner.Plan(levels, new RestoreTarget(2, null))));
        Assert.Equal("L1:1-3", Names(RestorePlanner.Plan(levels, new RestoreTarget(3, null))));
    }

    [Fact]
    public void A_txid_inside_a_compacted_file_without_its_l0_files_is_not_available()
    {
        var levels = Levels(F(1, 1, 3), F(0, 4, 4));
        var e = Assert.Throws<NoBackupsException>(() => RestorePlanner.Plan(levels, new RestoreTarget(2, null)));
        Assert.Equal("transaction 0000000000000002 not available: no matching backup files available", e.Message);
    }

    [Fact]
    public void A_timestamp_target_takes_only_files_created_strictly_before_it()
    {
        var levels = Levels(F(0, 1, 1, 10), F(0, 2, 2, 20), F(0, 3, 3, 30));
        Assert.Equal("L0:1-1 L0:2-2", Names(RestorePlanner.Plan(levels, new RestoreTarget(null, T0.AddSeconds(30)))));
        Assert.Equal("L0:1-1 L0:2-2 L0:3-3", Names(RestorePlanner.Plan(levels, new RestoreTarget(null, T0.AddSeconds(31)))));
        Assert.Throws<NoBackupsException>(() => RestorePlanner.Plan(levels, new RestoreTarget(null, T0.AddSeconds(10))));
    }

    [Fact]
    public void A_gap_in_the_chain_fails_a_latest_restore_naming_the_file()
    {
        var levels = Levels(F(0, 1, 1), F(0, 2, 2), F(0, 4, 4));
        var e = Assert.Throws<RestoreException>(() => RestorePlanner.Plan(levels, RestoreTarget.Latest));
        Assert.Equal("non-contiguous ltx files: gap after TXID 0000000000000002, next file is ltx/0/0000000000000004-0000000000000004.ltx", e.Message);
    }

    [Fact]
    public void History_that_does_not_start_at_txid_1_has_no_snapshot()
    {
        var levels = Levels(F(0, 5, 5), F(0, 6, 6));
        var e = Assert.Throws<RestoreException>(() => RestorePlanner.Plan(levels, RestoreTarget.Latest));
        Assert.Contains("no snapshot", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_replica_has_no_backups()
    {
        var e = Assert.Throws<NoBackupsException>(() => RestorePlanner.Plan(Levels(), RestoreTarget.Latest));
        Assert.Equal(RestorePlanner.NoBackupsMessage, e.Message);
    }

    [Fact]
    public void Ties_prefer_the_smaller_start_then_the_higher_level()
    {
        var levels = Levels(F(0, 1, 1), F(1, 1, 5), F(2, 1, 5), F(1, 2, 5));
        Assert.Equal("L2:1-5", Names(RestorePlanner.Plan(levels, RestoreTarget.Latest)));
    }
}
