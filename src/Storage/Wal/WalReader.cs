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
    public WalCommittedRange ReadCommitted(long maxBytes = long.MaxValue)
    {
        var start = _offset;
        var committed = new Dictionary<uint, long>();
        var pending = new Dictionary<uint, long>();
        uint commit = 0;
        var end = start;
        var page = new byte[Header.PageSize];
        while (end - start < maxBytes && ReadFrame(page, out var frame))
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
            }
        }
        _offset = end;
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
