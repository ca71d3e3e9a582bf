using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Reads a plan's pages from the WAL frames it names and the database file. Each frame must still carry the page and
/// the generation's salts, and the WAL header must still carry them after the last read (SQLite writes a new header
/// before it overwrites any frame), so a WAL restarted under the capture fails it instead of lending it a wrong page.
/// </summary>
public sealed class DatabasePageSource(FileStream database) : ICapturePageSource
{
    // Consecutive database-file pages are read this many bytes at a time: one system call per run instead of per page.
    private const int ReadAheadBytes = 256 << 10;

    public IEnumerable<(uint Pgno, byte[] Page)> Read(L0Plan plan)
    {
        using var wal = plan.WalPages.Count > 0
            ? WalSyncPlanner.OpenWal(database)
            : null;
        var pageSize = (int)plan.PageSize;
        var frame = new byte[WalFrameHeader.Size + pageSize];
        var buffer = new byte[pageSize];
        // Most captures read only WAL frames: the block is sized to the database-file pages there are, when there are.
        byte[] block = [];
        uint blockFirst = 0;
        var blockPages = 0;
        var blockBytes = 0;
        var order = plan.WalPages.Keys.Concat(plan.DatabaseFilePages).Order().ToArray();
        for (var i = 0; i < order.Length; i++)
        {
            var pgno = order[i];
            if (plan.WalPages.TryGetValue(pgno, out var frameOffset))
            {
                var header = RandomAccess.Read(wal!.SafeFileHandle, frame, frameOffset) == frame.Length ? WalFrameHeader.Read(frame) : default;
                if (header.Pgno != pgno || header.Salt1 != plan.Salt1 || header.Salt2 != plan.Salt2)
                {
                    throw new StorageException($"{database.Name}-wal: the frame at offset {frameOffset} no longer holds page {pgno}: the WAL changed under the capture");
                }
                frame.AsSpan(WalFrameHeader.Size).CopyTo(buffer);
                yield return (pgno, buffer);
                continue;
            }
            if (pgno < blockFirst || pgno >= blockFirst + blockPages)
            {
                if (block.Length == 0)
                {
                    block = new byte[Math.Clamp(plan.DatabaseFilePages.Count, 1, Math.Max(1, ReadAheadBytes / pageSize)) * pageSize];
                }
                var run = 1;
                while (run < block.Length / pageSize && i + run < order.Length && order[i + run] == pgno + run && !plan.WalPages.ContainsKey(pgno + (uint)run))
                {
                    run++;
                }
                (blockFirst, blockPages) = (pgno, run);
                blockBytes = ReadFully(block.AsSpan(0, run * pageSize), (long)(pgno - 1) * pageSize);
            }
            var at = (int)(pgno - blockFirst) * pageSize;
            var held = Math.Clamp(blockBytes - at, 0, pageSize);
            block.AsSpan(at, held).CopyTo(buffer);
            // Past the file's end SQLite reads zeros too.
            buffer.AsSpan(held).Clear();
            yield return (pgno, buffer);
        }
        if (wal is not null)
        {
            wal.Position = 0;
            if (WalReader.Open(wal) is not { } reader || !reader.Header.SameSalts(plan.Salt1, plan.Salt2))
            {
                throw new StorageException($"{database.Name}-wal was restarted while the capture read it");
            }
        }
    }

    private int ReadFully(Span<byte> destination, long offset)
    {
        var filled = 0;
        while (filled < destination.Length && RandomAccess.Read(database.SafeFileHandle, destination[filled..], offset + filled) is > 0 and var read)
        {
            filled += read;
        }
        return filled;
    }
}
