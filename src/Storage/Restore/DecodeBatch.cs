using System.Buffers;
using K4os.Compression.LZ4;
using LitestreamActors.Storage.Checksums;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// Up to one write buffer's worth of consecutive frames of one LTX file: read in order, then decoded and checksummed
/// page by page (on any thread) straight into the writer's buffer, then applied in order (<see cref="ParallelPageApplier"/>).
/// A batch is used again for the next buffer once applied: a restore's garbage, and so its resident memory, does not grow
/// with the file.
/// </summary>
internal sealed class DecodeBatch
{
    private readonly int _pageSize;
    private readonly LtxFrame[] _frames;
    private readonly int[] _offsets;
    private readonly ulong[] _checksums;

    public DecodeBatch(int bufferSize, int pageSize)
    {
        _pageSize = pageSize;
        var capacity = bufferSize / pageSize;
        _frames = new LtxFrame[capacity];
        _offsets = new int[capacity];
        _checksums = new ulong[capacity];
        Pages = [];
        Compressed = [];
    }

    /// <summary>The writer's buffer the pages are decoded into, slot i at i × page size.</summary>
    public byte[] Pages { get; private set; }

    public byte[] Compressed { get; private set; }

    public int Count { get; private set; }

    public int CompressedUsed { get; private set; }

    public bool IsFull => Count == _frames.Length;

    public Span<byte> NextSlot => Pages.AsSpan(Count * _pageSize, _pageSize);

    /// <summary>Empties the batch to fill <paramref name="pages"/>, one of the writer's buffers.</summary>
    public DecodeBatch Start(byte[] pages)
    {
        Pages = pages;
        Count = 0;
        CompressedUsed = 0;
        Compressed = ArrayPool<byte>.Shared.Rent(_frames.Length * LZ4Codec.MaximumOutputSize(_pageSize));
        return this;
    }

    public void Add(LtxFrame frame)
    {
        _frames[Count] = frame;
        _offsets[Count] = CompressedUsed;
        CompressedUsed += frame.CompressedSize;
        Count++;
    }

    /// <summary>Gives back what an empty batch holds (the file had no more frames).</summary>
    public void Release(PipelinedPageWriter writer)
    {
        writer.Return(Pages);
        ArrayPool<byte>.Shared.Return(Compressed);
    }

    /// <summary>Decodes what is still compressed and checksums every page; a damaged block is an <see cref="LtxFormatException"/>.</summary>
    public DecodeBatch Decode(string name)
    {
        for (var i = 0; i < Count; i++)
        {
            var page = Pages.AsSpan(i * _pageSize, _pageSize);
            var frame = _frames[i];
            if (!frame.Decoded && LZ4Codec.Decode(Compressed.AsSpan(_offsets[i], frame.CompressedSize), page) != _pageSize)
            {
                throw new LtxFormatException($"{name}: page {frame.Pgno}: corrupt LZ4 block");
            }
            _checksums[i] = Crc64Iso.Compute(page);
        }
        ArrayPool<byte>.Shared.Return(Compressed);
        return this;
    }

    /// <summary>Continues the file's CRC over these frames, records their pages and hands runs of consecutive pages to the writer.</summary>
    public ulong Apply(ulong crc, Crc64Shift pageShift, PipelinedPageWriter writer, PageSet written)
    {
        Span<byte> header = stackalloc byte[LtxFrame.MaxHeaderSize];
        var runStart = 0;
        for (var i = 0; i < Count; i++)
        {
            var frame = _frames[i];
            crc = pageShift.Combine(Crc64Iso.Update(crc, header[..frame.WriteHeader(header)]), _checksums[i]);
            written.Add(frame.Pgno);
            if (i + 1 == Count || _frames[i + 1].Pgno != frame.Pgno + 1)
            {
                writer.Submit(Pages, runStart * _pageSize, (i + 1 - runStart) * _pageSize, (long)(_frames[runStart].Pgno - 1) * _pageSize, release: i + 1 == Count);
                runStart = i + 1;
            }
        }
        return crc;
    }
}
