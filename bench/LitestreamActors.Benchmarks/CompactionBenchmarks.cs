using BenchmarkDotNet.Attributes;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Benchmarks;

/// <summary>
/// Compaction of a 4 MiB snapshot and 30 incremental files of 64 changed pages each (about 11.5 MiB of pages in,
/// 4 MiB out): the shape of an L1 compaction over 30 seconds of one-per-second syncs.
/// </summary>
[MemoryDiagnoser]
public class CompactionBenchmarks
{
    private const int DatabasePages = 1024;
    private const int Increments = 30;
    private const int ChangedPages = 64;
    private readonly List<byte[]> _files = [];
    private readonly MemoryStream _output = new(8 << 20);

    public static long InputPageBytes => (long)(DatabasePages + Increments * ChangedPages) * BenchmarkPages.PageSize;

    [GlobalSetup]
    public void Setup()
    {
        var pages = BenchmarkPages.Make(DatabasePages, 2);
        _files.Add(Encode(1, Enumerable.Range(1, DatabasePages).Select(p => ((uint)p, pages[p - 1]))));
        var random = new Random(3);
        for (var i = 0; i < Increments; i++)
        {
            var changed = Enumerable.Range(0, ChangedPages).Select(_ => random.Next(1, DatabasePages + 1)).Distinct().Order();
            _files.Add(Encode((ulong)i + 2, changed.Select(p => ((uint)p, pages[(p * 7 + i) % DatabasePages]))));
        }
    }

    [Benchmark]
    public long Compact()
    {
        _output.SetLength(0);
        var inputs = _files.Select((f, i) => new LtxCompactor.Input(new MemoryStream(f, writable: false), $"{i}.ltx")).ToList();
        LtxCompactor.Compact(inputs, _output);
        return _output.Length;
    }

    private static byte[] Encode(ulong txid, IEnumerable<(uint Pgno, byte[] Data)> pages)
    {
        using var output = new MemoryStream();
        using var encoder = new LtxEncoder(output, LtxHeader.Create(BenchmarkPages.PageSize, DatabasePages, txid, txid, DateTimeOffset.UnixEpoch));
        foreach (var (pgno, data) in pages)
        {
            encoder.WritePage(pgno, data);
        }
        encoder.Finish();
        return output.ToArray();
    }
}
