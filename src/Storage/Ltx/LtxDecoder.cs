using System.Buffers;
using System.Buffers.Binary;
using K4os.Compression.LZ4;
using LitestreamActors.Storage.Checksums;
using LitestreamActors.Storage.Compression;
using LitestreamActors.Storage.IO;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.Ltx;

/// <summary>
/// Streams an LTX file: <see cref="ReadHeader"/>, then <see cref="ReadPage"/> until it returns false, by which
/// time the page index, trailer and file checksum have been verified. Nothing but the expected page index is
/// held in memory. Every defect is an <see cref="LtxFormatException"/> naming the file.
/// </summary>
public sealed class LtxDecoder
{
    private readonly ExactReader _reader;
    private readonly string _name;
    // The page index the frames call for, as its CRC and length: checked against the stored index as it streams past,
    // so a restore holds no copy of either, whatever the file's page count (docs/performance.md, "Restore").
    private ulong _expectedIndexCrc;
    private long _expectedIndexLength;
    private byte[] _compressed = [];
    private ulong _crc;
    private LtxHeader _header;
    private bool _headerRead;
    private bool _done;
    private uint _lastPgno;
    private uint _lockPgno;
    private bool _deferred;
    private ulong _headerCrc;
    private ulong _tailCrc;
    private long _tailLength;

    public LtxDecoder(Stream input, string name)
    {
        _name = name;
        _reader = new ExactReader(input, Corrupt);
    }

    public LtxHeader Header => _headerRead ? _header : throw new InvalidOperationException("header not read");

    public LtxTrailer Trailer { get; private set; }

    public long PageCount { get; private set; }

    public LtxHeader ReadHeader()
    {
        Span<byte> buffer = stackalloc byte[LtxHeader.Size];
        _reader.ReadExactly(buffer);
        try
        {
            _header = LtxHeader.Read(buffer);
        }
        catch (LtxFormatException e)
        {
            throw Corrupt(e.Message);
        }
        _crc = _headerCrc = Crc64Iso.Update(0, buffer);
        _lockPgno = SqlitePages.LockPgno(_header.PageSize);
        _headerRead = true;
        return _header;
    }

    /// <summary>Reads the next page into <paramref name="page"/> (PageSize bytes). False after the last one.</summary>
    public bool ReadPage(Span<byte> page, out uint pgno)
    {
        if (!_headerRead)
        {
            ReadHeader();
        }
        pgno = 0;
        page = page[..(int)_header.PageSize];
        if (_compressed.Length == 0)
        {
            _compressed = new byte[LZ4Codec.MaximumOutputSize(page.Length)];
        }
        if (!NextFrame(_compressed, 0, page, out var frame))
        {
            return false;
        }
        if (!frame.Decoded && LZ4Codec.Decode(_compressed.AsSpan(0, frame.CompressedSize), page) != page.Length)
        {
            throw Corrupt($"page {frame.Pgno}: corrupt LZ4 block");
        }
        Span<byte> header = stackalloc byte[LtxFrame.MaxHeaderSize];
        _crc = Crc64Iso.Update(Crc64Iso.Update(_crc, header[..frame.WriteHeader(header)]), page);
        pgno = frame.Pgno;
        return true;
    }

    /// <summary>The file's CRC over its header: where a caller that checksums the pages itself starts (<see cref="ReadFrame"/>).</summary>
    public ulong HeaderChecksum => _headerRead ? _headerCrc : throw new InvalidOperationException("header not read");

    /// <summary>
    /// Reads the next page's frame for a caller that decodes and checksums pages itself, on several cores: a
    /// size-prefixed LZ4 block is copied into <paramref name="compressed"/> at <paramref name="offset"/> undecoded; an
    /// LZ4 frame (Litestream before 0.5.16) is decoded here into <paramref name="page"/>. False after the last page; the
    /// file checksum is then checked by <see cref="CompleteFrames"/> from the caller's CRC of the page block. Every
    /// other check is made here as <see cref="ReadPage"/> makes it.
    /// </summary>
    public bool ReadFrame(byte[] compressed, int offset, Span<byte> page, out LtxFrame frame)
    {
        if (!_headerRead)
        {
            ReadHeader();
        }
        _deferred = true;
        return NextFrame(compressed, offset, page[..(int)_header.PageSize], out frame);
    }

    // One frame, checked, its index entry noted; the file checksum is the caller's (ReadPage's, or ReadFrame's caller's).
    private bool NextFrame(byte[] compressed, int offset, Span<byte> page, out LtxFrame frame)
    {
        frame = default;
        if (_done)
        {
            return false;
        }
        var frameOffset = _reader.Position;
        Span<byte> headerBytes = stackalloc byte[LtxPageHeader.Size + 4];
        _reader.ReadExactly(headerBytes[..LtxPageHeader.Size]);
        var pageHeader = LtxPageHeader.Read(headerBytes);
        if (pageHeader.IsEnd)
        {
            // Deferred, the tail is summed on its own and joined to the caller's CRC by CompleteFrames.
            _crc = Crc64Iso.Update(_deferred ? 0 : _crc, headerBytes[..LtxPageHeader.Size]);
            _tailLength = LtxPageHeader.Size;
            ReadTail();
            _done = true;
            return false;
        }
        ValidatePageHeader(pageHeader);
        if (pageHeader.Flags == LtxPageHeader.FlagSizePrefixedBlock)
        {
            _reader.ReadExactly(headerBytes.Slice(LtxPageHeader.Size, 4));
            var size = BinaryPrimitives.ReadUInt32BigEndian(headerBytes[LtxPageHeader.Size..]);
            if (size == 0 || size > LZ4Codec.MaximumOutputSize(page.Length) || size > compressed.Length - offset)
            {
                throw Corrupt($"page {pageHeader.Pgno}: invalid compressed size {size}");
            }
            _reader.ReadExactly(compressed.AsSpan(offset, (int)size));
            frame = new LtxFrame(pageHeader.Pgno, pageHeader.Flags, (int)size);
        }
        else
        {
            DecodeFrame(pageHeader.Pgno, page);
            frame = new LtxFrame(pageHeader.Pgno, pageHeader.Flags, 0);
        }
        Span<byte> entry = stackalloc byte[Varint.MaxIndexEntryLength];
        var entryLength = Varint.WriteIndexEntry(entry, pageHeader.Pgno, frameOffset, _reader.Position - frameOffset);
        _expectedIndexCrc = Crc64Iso.Update(_expectedIndexCrc, entry[..entryLength]);
        _expectedIndexLength += entryLength;
        _lastPgno = pageHeader.Pgno;
        PageCount++;
        return true;
    }

    // Apart from NextFrame, so its error callback's closure is made for LZ4-frame pages only, not for every page.
    private void DecodeFrame(uint pgno, Span<byte> page)
    {
        if (Lz4FrameCodec.Decode(_reader, page, m => Corrupt($"page {pgno}: {m}")) != page.Length)
        {
            throw Corrupt($"page {pgno}: LZ4 frame does not hold exactly one page");
        }
    }

    /// <summary>
    /// Checks the file checksum once every frame is read: <paramref name="pagesChecksum"/> is the CRC from
    /// <see cref="HeaderChecksum"/> on over each frame's <see cref="LtxFrame.WriteHeader"/> bytes and decoded page, in order.
    /// </summary>
    public void CompleteFrames(ulong pagesChecksum)
    {
        if (!_done || !_deferred)
        {
            throw new InvalidOperationException("frames not read to the end");
        }
        var computed = Crc64Iso.Combine(pagesChecksum, _tailCrc, _tailLength);
        if (Trailer.FileChecksum != (LtxChecksum.Flag | computed))
        {
            throw Corrupt($"file checksum mismatch (stored {Trailer.FileChecksum:x16}, computed {LtxChecksum.Flag | computed:x16})");
        }
    }

    /// <summary>Reads (and verifies) the rest of the file without keeping the pages.</summary>
    public void ReadToEnd()
    {
        var page = ArrayPool<byte>.Shared.Rent((int)Header.PageSize);
        try
        {
            while (ReadPage(page, out _))
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(page);
        }
    }

    private void ValidatePageHeader(LtxPageHeader pageHeader)
    {
        var pgno = pageHeader.Pgno;
        if (pgno == 0)
        {
            throw Corrupt("page header with page number 0 and non-zero flags");
        }
        if (pageHeader.Flags is not (0 or LtxPageHeader.FlagSizePrefixedBlock))
        {
            throw Corrupt($"page {pgno}: unknown page flags 0x{pageHeader.Flags:x4}");
        }
        if (pgno <= _lastPgno)
        {
            throw Corrupt($"page {pgno} follows page {_lastPgno}; pages must ascend");
        }
        if (pgno > _header.Commit)
        {
            throw Corrupt($"page {pgno} beyond the commit size of {_header.Commit} pages");
        }
        if (pgno == _lockPgno)
        {
            throw Corrupt($"page {pgno} is the lock page, which is never stored");
        }
        if (_header.IsSnapshot)
        {
            var expected = _lastPgno + 1 == _lockPgno ? _lastPgno + 2 : _lastPgno + 1;
            if (pgno != expected)
            {
                throw Corrupt($"snapshot skips from page {_lastPgno} to page {pgno}");
            }
        }
    }

    private void ReadTail()
    {
        if (PageCount == 0)
        {
            throw Corrupt("file holds no pages");
        }
        if (_header.IsSnapshot)
        {
            var last = _header.Commit == _lockPgno ? _header.Commit - 1 : _header.Commit;
            if (_lastPgno != last)
            {
                throw Corrupt($"snapshot ends at page {_lastPgno} but the database has {_header.Commit} pages");
            }
        }

        ReadOnlySpan<byte> end = [0];
        var expectedCrc = Crc64Iso.Update(_expectedIndexCrc, end);
        var expectedLength = _expectedIndexLength + end.Length;
        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(expectedLength, 64 << 10));
        try
        {
            var actualCrc = 0UL;
            for (var left = expectedLength; left > 0;)
            {
                var part = chunk.AsSpan(0, (int)Math.Min(left, chunk.Length));
                _reader.ReadExactly(part);
                actualCrc = Crc64Iso.Update(actualCrc, part);
                _crc = Crc64Iso.Update(_crc, part);
                left -= part.Length;
            }
            if (actualCrc != expectedCrc)
            {
                throw Corrupt("page index does not match the page frames");
            }
            _tailLength += expectedLength;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        Span<byte> tail = stackalloc byte[8 + LtxTrailer.Size];
        _reader.ReadExactly(tail);
        if (BinaryPrimitives.ReadUInt64BigEndian(tail) != (ulong)expectedLength)
        {
            throw Corrupt("page index size does not match the page index");
        }
        _crc = Crc64Iso.Update(_crc, tail[..16]);
        _tailLength += 16;
        Trailer = LtxTrailer.Read(tail[8..]);
        if ((_header.Flags & LtxHeader.FlagNoChecksum) != 0 && Trailer.PostApplyChecksum != 0)
        {
            throw Corrupt("post-apply checksum set although the file tracks no checksums");
        }
        if ((_header.Flags & LtxHeader.FlagNoChecksum) == 0 && (Trailer.PostApplyChecksum & LtxChecksum.Flag) == 0)
        {
            throw Corrupt("post-apply checksum is missing its flag bit");
        }
        if (_deferred)
        {
            // The caller holds the pages' part of the CRC; CompleteFrames joins it to this tail's.
            _tailCrc = _crc;
        }
        else if (Trailer.FileChecksum != (LtxChecksum.Flag | _crc))
        {
            throw Corrupt($"file checksum mismatch (stored {Trailer.FileChecksum:x16}, computed {LtxChecksum.Flag | _crc:x16})");
        }
        if (!_reader.AtEnd())
        {
            throw Corrupt("unexpected bytes after the trailer");
        }
    }

    private LtxFormatException Corrupt(string reason) => new($"{_name}: {reason}");
}
