using BenchmarkDotNet.Attributes;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Benchmarks;

/// <summary>Encode and decode of one 4 MiB LTX file (1024 pages of 4 KiB): MB/s on one core = 4.19 / mean seconds.</summary>
[MemoryDiagnoser]
public class LtxCodecBenchmarks
{
    private const int Pages = 1024;
    private byte[][] _pages = [];
    private byte[] _encoded = [];
    private readonly byte[] _page = new byte[BenchmarkPages.PageSize];
    private readonly MemoryStream _output = new(8 << 20);

    [Params(LtxPageEncoding.SizePrefixedBlock, LtxPageEncoding.Lz4Frame)]
    public LtxPageEncoding Encoding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pages = BenchmarkPages.Make(Pages, 1);
        _output.SetLength(0);
        Encode();
        _encoded = _output.ToArray();
    }

    [Benchmark]
    public long Encode()
    {
        _output.SetLength(0);
        using var encoder = new LtxEncoder(_output, LtxHeader.Create(BenchmarkPages.PageSize, Pages, 1, 1, DateTimeOffset.UnixEpoch), Encoding);
        for (var i = 0; i < Pages; i++)
        {
            encoder.WritePage((uint)i + 1, _pages[i]);
        }
        encoder.Finish();
        return _output.Length;
    }

    [Benchmark]
    public long Decode()
    {
        var decoder = new LtxDecoder(new MemoryStream(_encoded, writable: false), "bench.ltx");
        decoder.ReadHeader();
        long sum = 0;
        while (decoder.ReadPage(_page, out var pgno))
        {
            sum += pgno;
        }
        return sum;
    }
}
