using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Tests;

/// <summary>Builds LTX files in memory for tests and reads them back.</summary>
internal static class LtxFiles
{
    public static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeMilliseconds(1_795_642_886_857);

    public static byte[] Page(uint pageSize, int seed)
    {
        var page = new byte[pageSize];
        var random = new Random(seed);
        // Half random, half a repeated pattern: compressible like real pages, yet unique per seed.
        random.NextBytes(page.AsSpan(0, (int)pageSize / 2));
        page.AsSpan((int)pageSize / 2).Fill((byte)seed);
        return page;
    }

    public static byte[] Encode(
        uint pageSize, uint commit, ulong minTxid, ulong maxTxid, IEnumerable<(uint Pgno, byte[] Data)> pages,
        LtxPageEncoding encoding = LtxPageEncoding.SizePrefixedBlock)
    {
        using var output = new MemoryStream();
        using (var encoder = new LtxEncoder(output, LtxHeader.Create(pageSize, commit, minTxid, maxTxid, Time), encoding))
        {
            foreach (var (pgno, data) in pages)
            {
                encoder.WritePage(pgno, data);
            }
            encoder.Finish();
        }
        return output.ToArray();
    }

    public static (LtxHeader Header, List<(uint Pgno, byte[] Data)> Pages) Decode(byte[] file, string name = "test.ltx")
    {
        var decoder = new LtxDecoder(new MemoryStream(file), name);
        var header = decoder.ReadHeader();
        var pages = new List<(uint, byte[])>();
        var buffer = new byte[header.PageSize];
        while (decoder.ReadPage(buffer, out var pgno))
        {
            pages.Add((pgno, buffer.ToArray()));
        }
        return (header, pages);
    }
}
