namespace LitestreamActors.Storage.Wal;

/// <summary>
/// Reads valid frames of a SQLite WAL file from a given offset, as SQLite and Litestream accept them: each frame must
/// carry the header's salts and continue the running checksum; the first frame that does not ends the log.
/// </summary>
public sealed class WalReader
{
    private readonly Stream _stream;
    private (uint S0, uint S1) _checksum;
    private long _offset;

    private WalReader(Stream stream, WalHeader header)
    {
        _stream = stream;
        Header = header;
    }

    public WalHeader Header { get; }

    public int FrameSize => WalFrameHeader.Size + (int)Header.PageSize;

    /// <summary>Offset of the next frame to read.</summary>
    public long Offset => _offset;

    /// <summary>Opens a WAL at its start; null when the file holds no valid header (an empty or reset WAL).</summary>
    public static WalReader? Open(Stream stream)
    {
        var header = ReadHeader(stream);
        if (header is null)
        {
            return null;
        }
        var reader = new WalReader(stream, header.Value);
        reader._offset = WalHeader.Size;
        reader._checksum = (header.Value.Checksum1, header.Value.Checksum2);
        return reader;
    }

    /// <summary>
    /// Opens a WAL to resume at <paramref name="offset"/>, seeding the running checksum from the stored checksum of the
    /// frame before it, as Litestream does. Null when there is no valid header or that frame carries other salts.
    /// </summary>
    public static WalReader? OpenAt(Stream stream, long offset)
    {
        var reader = Open(stream);
        if (reader is null || offset == WalHeader.Size)
        {
            return reader;
        }
        if (offset < WalHeader.Size + reader.FrameSize || (offset - WalHeader.Size) % reader.FrameSize != 0 || offset > stream.Length)
        {
            return null;
        }
        Span<byte> frameHeader = stackalloc byte[WalFrameHeader.Size];
        stream.Position = offset - reader.FrameSize;
        if (stream.ReadAtLeast(frameHeader, frameHeader.Length, throwOnEndOfStream: false) < frameHeader.Length)
        {
            return null;
        }
        var previous = WalFrameHeader.Read(frameHeader);
        if (!reader.Header.SameSalts(previous.Salt1, previous.Salt2))
        {
            return null;
        }
        reader._offset = offset;
        reader._checksum = (previous.Checksum1, previous.Checksum2);
        return reader;
    }

    /// <summary>Reads the next valid frame and its page into <paramref name="page"/>; false at the end of the valid log.</summary>
    public bool ReadFrame(Span<byte> page, out WalFrame frame)
    {
        frame = default;
        page = page[..(int)Header.PageSize];
        Span<byte> headerBytes = stackalloc byte[WalFrameHeader.Size];
        _stream.Position = _offset;
        if (_stream.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) < headerBytes.Length
            || _stream.ReadAtLeast(page, page.Length, throwOnEndOfStream: false) < page.Length)
        {
            return false;
        }
        var header = WalFrameHeader.Read(headerBytes);
        if (header.Pgno == 0 || !Header.SameSalts(header.Salt1, header.Salt2))
        {
            return false;
        }
        var checksum = WalChecksum.Update(_checksum, headerBytes[..8], Header.BigEndianChecksum);
        checksum = WalChecksum.Update(checksum, page, Header.BigEndianChecksum);
        if (checksum != (header.Checksum1, header.Checksum2))
        {
            return false;
        }
        _checksum = checksum;
        frame = new WalFrame(_offset, header);
        _offset += FrameSize;
        return true;
    }

    /// <summary>
    /// Reads forward and returns the committed transactions: the latest frame offset of each page, the database size
    /// of the last commit, and the end of the last committed frame. Frames after the last commit are left unread.
    /// </summary>
    public WalCommittedRange ReadCommitted() => Read(long.MaxValue);

    /// <summary>
    /// Reads every frame up to <paramref name="end"/>, where SQLite's snapshot ends (docs/capture.md): each must be
    /// valid, the last must commit the snapshot's database size, and the running checksum there must be SQLite's.
    /// Anything else means the WAL is not the one SQLite reads (or changed under us): no range, an error.
    /// </summary>
    public WalCommittedRange ReadThrough(long end, uint commit, (uint S0, uint S1) checksum)
    {
        var start = _offset;
        var range = Read(end);
        if (range.EndOffset != end)
        {
            throw new StorageException($"the WAL's committed frames end at offset {range.EndOffset}, SQLite's snapshot at {end} (read from {start})");
        }
        if (range.Commit != commit || _checksum != checksum)
        {
            throw new StorageException(
                $"the WAL frame ending at offset {end} gives {range.Commit} pages and checksum {_checksum.S0:x8}{_checksum.S1:x8}, SQLite's snapshot {commit} and {checksum.S0:x8}{checksum.S1:x8}");
        }
        return range;
    }

    private WalCommittedRange Read(long limit)
    {
        var start = _offset;
        var committed = new Dictionary<uint, long>();
        var pending = new Dictionary<uint, long>();
        uint commit = 0;
        var end = start;
        var page = new byte[Header.PageSize];
        var checksumAtEnd = _checksum;
        while (_offset < limit && ReadFrame(page, out var frame))
        {
            pending[frame.Header.Pgno] = frame.Offset;
            if (frame.Header.IsCommit)
            {
                foreach (var (pgno, offset) in pending)
                {
                    committed[pgno] = offset;
                }
                pending.Clear();
                commit = frame.Header.Commit;
                end = _offset;
                checksumAtEnd = _checksum;
            }
        }
        _offset = end;
        _checksum = checksumAtEnd;
        foreach (var pgno in committed.Keys.Where(p => p > commit).ToList())
        {
            committed.Remove(pgno);
        }
        return new WalCommittedRange(start, end, commit, committed);
    }

    private static WalHeader? ReadHeader(Stream stream)
    {
        Span<byte> buffer = stackalloc byte[WalHeader.Size];
        stream.Position = 0;
        return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length ? null : WalHeader.TryRead(buffer);
    }
}
