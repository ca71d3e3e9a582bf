using K4os.Compression.LZ4.Streams;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;
using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.V3;

/// <summary>
/// One WAL index of a 0.3 backup, rebuilt segment by segment in a scratch file (removed on dispose): each segment must
/// start where the ones before it ended, and yields the transactions it completes.
/// </summary>
internal sealed class V3WalIndex : IAsyncDisposable
{
    private readonly FileStream _wal;
    private long _committedEnd;

    public V3WalIndex(string scratchPath) =>
        _wal = new FileStream(scratchPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);

    public uint PageSize { get; private set; }

    /// <summary>Appends a segment; returns the pages its committed frames hold (latest frame per page) and the database size then.</summary>
    public async Task<WalCommittedRange> AppendAsync(IReplicaClient client, V3WalSegment segment, CancellationToken cancellationToken)
    {
        if (segment.Offset != _wal.Length)
        {
            throw new RestoreException($"{segment.Path}: starts at WAL offset {segment.Offset}, but the segments before it end at {_wal.Length}");
        }
        _wal.Position = _wal.Length;
        await DecompressAsync(client, segment.Path, _wal, cancellationToken);
        await _wal.FlushAsync(cancellationToken);
        var reader = (_committedEnd == 0 ? WalReader.Open(_wal) : WalReader.OpenAt(_wal, _committedEnd))
            ?? throw new RestoreException($"{segment.Path}: not a SQLite WAL continuing the segments before it");
        PageSize = reader.Header.PageSize;
        var range = reader.ReadCommitted();
        _committedEnd = range.IsEmpty ? Math.Max(_committedEnd, range.StartOffset) : range.EndOffset;
        return range;
    }

    /// <summary>Writes a range's pages into the database file and sets its size to the range's commit, as a checkpoint does.</summary>
    public void ApplyTo(FileStream database, WalCommittedRange range)
    {
        var page = new byte[PageSize];
        foreach (var (pgno, offset) in range.PageOffsets)
        {
            ReadPage(offset, page);
            RandomAccess.Write(database.SafeFileHandle, page, (long)(pgno - 1) * PageSize);
        }
        if (range.Commit > 0)
        {
            database.SetLength((long)range.Commit * PageSize);
        }
    }

    public void ReadPage(long frameOffset, byte[] page) => RandomAccess.Read(_wal.SafeFileHandle, page, frameOffset + WalFrameHeader.Size);

    public ValueTask DisposeAsync() => _wal.DisposeAsync();

    public static async Task DecompressAsync(IReplicaClient client, string path, Stream destination, CancellationToken cancellationToken)
    {
        await using var compressed = await client.OpenObjectAsync(path, cancellationToken);
        try
        {
            await using var frame = LZ4Stream.Decode(compressed, leaveOpen: true);
            await frame.CopyToAsync(destination, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new RestoreException($"{path}: not a valid LZ4 frame: {e.Message}");
        }
    }
}
