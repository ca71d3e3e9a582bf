using LitestreamActors.Storage.Checksums;

namespace LitestreamActors.Storage.Ltx;

/// <summary>
/// A run of pages encoded as LTX frames on every core: each page's LZ4 block and its own CRC-64, for
/// <see cref="LtxEncoder.WritePages"/> to append in order. Its buffers are pooled and returned on dispose.
/// </summary>
internal sealed class EncodedPages : IDisposable
{
    private const int PartsPerCore = 8;

    private readonly byte[] _frames;
    private readonly int _frameCapacity;
    private readonly int[] _lengths;
    private readonly int[] _hashed;
    private readonly ulong[] _crcs;

    private EncodedPages(int count, int frameCapacity)
    {
        _frameCapacity = frameCapacity;
        _frames = RunBuffers.Pool.Rent(Math.Max(1, count) * frameCapacity);
        _lengths = new int[count];
        _hashed = new int[count];
        _crcs = new ulong[count];
    }

    public static EncodedPages Encode(PageRun run, LtxPageEncoding encoding, int frameCapacity)
    {
        var count = run.Count;
        var encoded = new EncodedPages(count, frameCapacity);
        // Several parts per core: a core taken meanwhile by the reader of the pages leaves its parts to the others.
        var parts = Math.Clamp(Environment.ProcessorCount * PartsPerCore, 1, Math.Max(1, count));
        Parallel.For(0, parts, part =>
        {
            for (var i = count * part / parts; i < count * (part + 1) / parts; i++)
            {
                var page = run.Page(i);
                (encoded._lengths[i], encoded._hashed[i]) = LtxEncoder.EncodeFrame(run.Pgno(i), page, encoded._frames.AsSpan(i * frameCapacity, frameCapacity), encoding);
                encoded._crcs[i] = Crc64Iso.Compute(page);
            }
        });
        return encoded;
    }

    public ReadOnlySpan<byte> Frame(int i) => _frames.AsSpan(i * _frameCapacity, _lengths[i]);

    /// <summary>How many of the frame's first bytes the file checksum covers before the page's data.</summary>
    public int HashedLength(int i) => _hashed[i];

    public ulong PageCrc(int i) => _crcs[i];

    public void Dispose() => RunBuffers.Pool.Return(_frames);
}
