using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Reads a plan's pages from the WAL frames it names and the database file. Each frame must still carry the page and
/// the generation's salts, and the WAL header must still carry them after the last read (SQLite writes a new header
/// before it overwrites any frame), so a WAL restarted under the capture fails it instead of lending it a wrong page.
/// </summary>
public sealed class DatabasePageSource(FileStream database) : ICapturePageSource
{
    public IEnumerable<(uint Pgno, byte[] Page)> Read(L0Plan plan)
    {
        using var wal = plan.WalPages.Count > 0
            ? WalSyncPlanner.OpenShared(database.Name + "-wal") ?? throw new StorageException($"{database.Name}-wal disappeared under the capture")
            : null;
        var frame = new byte[WalFrameHeader.Size + plan.PageSize];
        var buffer = new byte[plan.PageSize];
        foreach (var pgno in plan.WalPages.Keys.Concat(plan.DatabaseFilePages).Order())
        {
            if (plan.WalPages.TryGetValue(pgno, out var frameOffset))
            {
                var header = RandomAccess.Read(wal!.SafeFileHandle, frame, frameOffset) == frame.Length ? WalFrameHeader.Read(frame) : default;
                if (header.Pgno != pgno || header.Salt1 != plan.Salt1 || header.Salt2 != plan.Salt2)
                {
                    throw new StorageException($"{database.Name}-wal: the frame at offset {frameOffset} no longer holds page {pgno}: the WAL changed under the capture");
                }
                frame.AsSpan(WalFrameHeader.Size).CopyTo(buffer);
            }
            else
            {
                // Past the file's end SQLite reads zeros too.
                Array.Clear(buffer);
                RandomAccess.Read(database.SafeFileHandle, buffer, (long)(pgno - 1) * plan.PageSize);
            }
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
}
