using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Tests;

public sealed class LtxCompactorTests
{
    [Fact]
    public void Latest_page_wins_and_pages_beyond_the_final_commit_are_dropped()
    {
        const uint size = 1024;
        var snapshot = LtxFiles.Encode(size, 5, 1, 1, Enumerable.Range(1, 5).Select(i => ((uint)i, LtxFiles.Page(size, i))));
        var update = LtxFiles.Encode(size, 6, 2, 2, [(2, LtxFiles.Page(size, 20)), (6, LtxFiles.Page(size, 60))]);
        var shrink = LtxFiles.Encode(size, 4, 3, 4, [(2, LtxFiles.Page(size, 21)), (3, LtxFiles.Page(size, 31))]);

        using var output = new MemoryStream();
        var header = LtxCompactor.Compact(
            [new(new MemoryStream(snapshot), "a"), new(new MemoryStream(update), "b"), new(new MemoryStream(shrink), "c")], output);

        var (decodedHeader, pages) = LtxFiles.Decode(output.ToArray());
        Assert.Equal(header, decodedHeader);
        Assert.Equal((1UL, 4UL, 4u), (header.MinTxid, header.MaxTxid, header.Commit));
        Assert.Equal([1u, 2u, 3u, 4u], pages.Select(p => p.Pgno));
        Assert.Equal(LtxFiles.Page(size, 1), pages[0].Data);
        Assert.Equal(LtxFiles.Page(size, 21), pages[1].Data);
        Assert.Equal(LtxFiles.Page(size, 31), pages[2].Data);
        Assert.Equal(LtxFiles.Page(size, 4), pages[3].Data);
    }

    [Fact]
    public void Takes_the_timestamp_of_the_last_input_and_writes_no_wal_fields()
    {
        const uint size = 512;
        var first = LtxFiles.Encode(size, 1, 5, 5, [(1, LtxFiles.Page(size, 1))]);
        using var later = new MemoryStream();
        using (var encoder = new LtxEncoder(later, LtxHeader.Create(size, 1, 6, 6, LtxFiles.Time.AddSeconds(5)) with { WalOffset = 32, WalSize = 100, WalSalt1 = 1, WalSalt2 = 2 }))
        {
            encoder.WritePage(1, LtxFiles.Page(size, 2));
            encoder.Finish();
        }

        using var output = new MemoryStream();
        var header = LtxCompactor.Compact([new(new MemoryStream(first), "a"), new(new MemoryStream(later.ToArray()), "b")], output);

        Assert.Equal(LtxFiles.Time.AddSeconds(5), header.Timestamp);
        Assert.Equal((0L, 0L, 0u, 0u), (header.WalOffset, header.WalSize, header.WalSalt1, header.WalSalt2));
    }

    [Fact]
    public void Refuses_a_gap_between_inputs()
    {
        const uint size = 512;
        var a = LtxFiles.Encode(size, 1, 2, 3, [(1, LtxFiles.Page(size, 1))]);
        var b = LtxFiles.Encode(size, 1, 5, 5, [(1, LtxFiles.Page(size, 2))]);
        var e = Assert.Throws<LtxFormatException>(() =>
            LtxCompactor.Compact([new(new MemoryStream(a), "a.ltx"), new(new MemoryStream(b), "b.ltx")], new MemoryStream()));
        Assert.Contains("not contiguous", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_input_fails_the_compaction()
    {
        const uint size = 512;
        var a = LtxFiles.Encode(size, 2, 1, 1, [(1, LtxFiles.Page(size, 1)), (2, LtxFiles.Page(size, 2))]);
        var b = LtxFiles.Encode(size, 2, 2, 2, [(2, LtxFiles.Page(size, 3))]);
        b[^3] ^= 0x40;
        Assert.Throws<LtxFormatException>(() =>
            LtxCompactor.Compact([new(new MemoryStream(a), "a.ltx"), new(new MemoryStream(b), "b.ltx")], new MemoryStream()));
    }
}
