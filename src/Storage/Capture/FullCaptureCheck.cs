using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The full capture check (docs/capture.md): every page of the state our files claim at a snapshot, compared with
/// the database as SQLite reads it in the read transaction at that snapshot (through its backup API). After a resume
/// that state is first read in full, the way SQLite's reader finds pages. SQLite's checksum counts page 1 as ours when
/// it equals SQLite's but for the bytes the backup rewrites.
/// </summary>
internal static class FullCaptureCheck
{
    /// <returns>What differed (null when nothing), SQLite's database checksum, and page 1 of our state.</returns>
    public static (string? Problem, ulong SqliteChecksum, byte[] Page1) Run(
        SqliteSession session, PageChecksumTracker claimed, ICapturePageSource pages, FileStream database, SqliteSnapshot snapshot, byte[]? page1, string scratchPath)
    {
        if (!claimed.IsComplete || page1 is null)
        {
            var whole = WalSyncPlanner.Snapshot(0, database, snapshot);
            claimed.BeginFull();
            foreach (var (pgno, page) in pages.Read(whole))
            {
                claimed.Set(pgno, page);
                if (pgno == 1)
                {
                    page1 = page.ToArray();
                }
            }
            claimed.Truncate(whole.Commit);
        }
        var ours = page1 ?? throw new StorageException($"{database.Name}: page 1 was not read");
        var lockPgno = SqlitePages.LockPgno(snapshot.PageSize);
        string? difference = null;
        ulong sqlite = 0;
        uint count = 0;
        session.ReadThroughSqlite(scratchPath, (pgno, page) =>
        {
            count = pgno;
            if (pgno == lockPgno)
            {
                return;
            }
            if (pgno == 1)
            {
                var same = Page1.EqualButBackupFields(ours, page);
                difference ??= same ? null : "page 1";
                sqlite ^= PageChecksum.Of(1, same ? ours : page);
                return;
            }
            var sum = PageChecksum.Of(pgno, page);
            sqlite ^= sum;
            difference ??= sum == claimed.PageSum(pgno) ? null : $"page {pgno}";
        });
        var sqliteChecksum = Ltx.LtxChecksum.Flag | sqlite;
        if (count != snapshot.PageCount)
        {
            difference = $"the size ({snapshot.PageCount} pages, SQLite {count})";
        }
        return difference is null
            ? (null, sqliteChecksum, ours)
            : ($"the database checksum of our state is {claimed.DatabaseChecksum:x16}, SQLite's {sqliteChecksum:x16}; first difference: {difference}", sqliteChecksum, ours);
    }
}
