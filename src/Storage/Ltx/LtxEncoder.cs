using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using LitestreamActors.Storage.Checksums;
using LitestreamActors.Storage.Compression;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.Ltx;

/// <summary>
/// Streams an LTX file: header now, pages one at a time in ascending order, then <see cref="Finish"/>
/// writes the page index and trailer. Only the page index (a few bytes per page) is held in memory.
/// </summary>
public sealed class LtxEncoder : IDisposable
{
    private readonly Stream _output;
    private readonly LtxHeader _header;
    private readonly LtxPageEncoding _encoding;
    private readonly uint _lockPgno;
    private readonly byte[] _frame;
    private readonly int _frameCapacity;
    private readonly ArrayBufferWriter<byte> _index = new();
    private ulong _crc;
    private long _offset;
    private uint _lastPgno;
    private bool _finished;

    public LtxEncoder(Stream output, LtxHeader header, LtxPageEncoding encoding = LtxPageEncoding.SizePrefixedBlock)
    {
        header.Validate();
        _output = output;
        _header = header;
        _encoding = encoding;
        _lockPgno = SqlitePages.LockPgno(header.PageSize);
        var pageSize = (int)header.PageSize;
        var payloadBound = Math.Max(LZ4Codec.MaximumOutputSize(pageSize) + 4, Lz4FrameCodec.MaxPageFrameLength(pageSize));
        _frameCapacity = LtxPageHeader.Size + payloadBound;
        _frame = ArrayPool<byte>.Shared.Rent(_frameCapacity);

        Span<byte> buffer = stackalloc byte[LtxHeader.Size];
        header.Write(buffer);
        Emit(buffer, buffer);
    }

    public LtxHeader Header => _header;

    public long PageCount { get; private set; }

    public void WritePage(uint pgno, ReadOnlySpan<byte> data)
    {
        Accept(pgno, data.Length);
        var (frameLength, hashedLength) = EncodeFrame(pgno, data, _frame, _encoding);
        _crc = Crc64Iso.Update(Crc64Iso.Update(_crc, _frame.AsSpan(0, hashedLength)), data);
        Append(pgno, _frame.AsSpan(0, frameLength));
    }

    /// <summary>
    /// The pages of <paramref name="run"/> written as <see cref="WritePage"/> would, byte for byte: their LZ4 blocks and
    /// CRCs computed on several cores, the frames then appended in order with each page's CRC joined to the file's
    /// (docs/performance.md, "Catch-up").
    /// </summary>
    public void WritePages(PageRun run)
    {
        for (var i = 0; i < run.Count; i++)
        {
            Accept(run.Pgno(i), run.PageSize);
        }
        using var encoded = EncodedPages.Encode(run, _encoding, _frameCapacity);
        var shift = Crc64Shift.For(_header.PageSize);
        for (var i = 0; i < run.Count; i++)
        {
            var frame = encoded.Frame(i);
            _crc = shift.Combine(Crc64Iso.Update(_crc, frame[..encoded.HashedLength(i)]), encoded.PageCrc(i));
            Append(run.Pgno(i), frame);
        }
    }

    /// <summary>Encodes one page's frame into <paramref name="frame"/>: its length, and how many of its first bytes the file checksum covers before the page's data.</summary>
    internal static (int FrameLength, int HashedLength) EncodeFrame(uint pgno, ReadOnlySpan<byte> data, Span<byte> frame, LtxPageEncoding encoding)
    {
        if (encoding == LtxPageEncoding.SizePrefixedBlock)
        {
            new LtxPageHeader(pgno, LtxPageHeader.FlagSizePrefixedBlock).Write(frame);
            var compressed = LZ4Codec.Encode(data, frame[(LtxPageHeader.Size + 4)..]);
            BinaryPrimitives.WriteUInt32BigEndian(frame[LtxPageHeader.Size..], (uint)compressed);
            return (LtxPageHeader.Size + 4 + compressed, LtxPageHeader.Size + 4);
        }
        new LtxPageHeader(pgno, 0).Write(frame);
        return (LtxPageHeader.Size + Lz4FrameCodec.EncodePage(data, frame[LtxPageHeader.Size..]), LtxPageHeader.Size);
    }

    private void Accept(uint pgno, int length)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (length != _header.PageSize)
        {
            throw new ArgumentException($"page {pgno} is {length} bytes, expected {_header.PageSize}");
        }
        if (pgno == 0 || pgno > _header.Commit)
        {
            throw new LtxFormatException($"page {pgno} outside database of {_header.Commit} pages");
        }
        if (pgno == _lockPgno)
        {
            throw new LtxFormatException($"page {pgno} is the lock page and is never stored");
        }
        if (pgno <= _lastPgno)
        {
            throw new LtxFormatException($"page {pgno} written after page {_lastPgno}; pages must ascend");
        }
        if (_header.IsSnapshot && pgno != NextSnapshotPgno())
        {
            throw new LtxFormatException($"snapshot is missing page {NextSnapshotPgno()}");
        }
        _lastPgno = pgno;
        PageCount++;
    }

    private void Append(uint pgno, ReadOnlySpan<byte> frame)
    {
        Varint.WriteIndexEntry(_index, pgno, _offset, frame.Length);
        _output.Write(frame);
        _offset += frame.Length;
    }

    /// <summary>Writes the end of the page block, the page index and the trailer. Returns the trailer.</summary>
    public LtxTrailer Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (PageCount == 0)
        {
            throw new LtxFormatException("an LTX file must hold at least one page");
        }
        if (_header.IsSnapshot && NextSnapshotPgno() <= _header.Commit)
        {
            throw new LtxFormatException($"snapshot is missing page {NextSnapshotPgno()}");
        }

        Span<byte> end = stackalloc byte[LtxPageHeader.Size];
        end.Clear();
        Emit(end, end);

        _index.Write(stackalloc byte[] { 0 });
        Emit(_index.WrittenSpan, _index.WrittenSpan);

        Span<byte> tail = stackalloc byte[8 + LtxTrailer.Size];
        BinaryPrimitives.WriteUInt64BigEndian(tail, (ulong)_index.WrittenCount);
        BinaryPrimitives.WriteUInt64BigEndian(tail[8..], 0);
        _crc = Crc64Iso.Update(_crc, tail[..16]);
        var fileChecksum = LtxChecksum.Flag | _crc;
        BinaryPrimitives.WriteUInt64BigEndian(tail[16..], fileChecksum);
        _output.Write(tail);
        _offset += tail.Length;
        _output.Flush();
        Release();
        return new LtxTrailer(0, fileChecksum);
    }

    public void Dispose() => Release();

    private uint NextSnapshotPgno()
    {
        var next = _lastPgno + 1;
        return next == _lockPgno ? next + 1 : next;
    }

    private void Emit(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> hashed)
    {
        _crc = Crc64Iso.Update(_crc, hashed);
        _output.Write(bytes);
        _offset += bytes.Length;
    }

    private void Release()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        ArrayPool<byte>.Shared.Return(_frame);
    }
}
