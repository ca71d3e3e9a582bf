using LitestreamActors.Storage.Sqlite;
using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Decides what the next L0 file holds (docs/capture.md): every frame from the capture position up to exactly where
/// SQLite's new snapshot ends, when the position is provably continuous with it; otherwise the whole database as
/// SQLite reads it at that snapshot. Never a broken chain, never a page from the wrong place.
/// </summary>
public static class WalSyncPlanner
{
    /// <summary>
    /// The plan of the next L0 file, or null when SQLite sees nothing new. <paramref name="heldAtPosition"/> says a
    /// read transaction at exactly <paramref name="previous"/> was held until <paramref name="next"/> began: SQLite
    /// could then neither checkpoint past it nor restart the WAL before it, so the old generation either goes on or
    /// ended exactly there. <paramref name="database"/> stays open for the capture's lifetime: closing any
    /// descriptor of the database file drops this process's SQLite locks on it.
    /// </summary>
    public static L0Plan? Plan(FileStream database, CapturePosition? previous, bool heldAtPosition, SqliteSnapshot next, bool forceSnapshot)
    {
        var txid = (previous?.Txid ?? 0) + 1;
        if (previous is null || forceSnapshot)
        {
            return Snapshot(txid, database, next);
        }
        // Without a WAL, the same size proves nothing unless our read was held throughout: the application may have
        // written, checkpointed and removed its WAL while we were down.
        if (next.IsAt(previous) && (next.HasWal || heldAtPosition))
        {
            return null;
        }
        var sameGeneration = next.HasWal && next.SameGeneration(previous.Salt1, previous.Salt2) && next.WalEnd > previous.WalEnd;
        if (heldAtPosition)
        {
            var previousHadWal = previous.Salt1 != 0 || previous.Salt2 != 0;
            if (sameGeneration)
            {
                return Incremental(txid, database, previous, next, previous.WalEnd);
            }
            if (previousHadWal ? next.FollowsGeneration(previous.Salt1) : next.HasWal)
            {
                return next.MaxFrame == 0 ? null : Incremental(txid, database, previous, next, WalHeader.Size);
            }
            return Snapshot(txid, database, next);
        }
        // Resumed from a local file: only the same generation, whose committed frames never change, continues it.
        return sameGeneration && ContinuesAt(database, previous)
            ? Incremental(txid, database, previous, next, previous.WalEnd)
            : Snapshot(txid, database, next);
    }

    /// <summary>
    /// <paramref name="plan"/>, an incremental not written yet, carried on to <paramref name="next"/>, a later snapshot
    /// of the same WAL generation begun while the read at the plan's start was still held (so no frame it planned was
    /// overwritten): one file with the newest frame of each page up to there. Null when the WAL did not simply go on.
    /// </summary>
    public static L0Plan? Extend(FileStream database, L0Plan plan, SqliteSnapshot next)
    {
        var end = plan.WalOffset + plan.WalSize;
        if (plan.IsSnapshot || plan.ByComparison || !next.HasWal || !next.SameGeneration(plan.Salt1, plan.Salt2) || next.WalEnd < end)
        {
            return null;
        }
        if (next.WalEnd == end)
        {
            return plan with { Snapshot = next };
        }
        var tail = Incremental(plan.Txid, database, plan.Position, next, end);
        if (tail.IsSnapshot)
        {
            return null;
        }
        var pages = plan.WalPages.Where(p => p.Key <= next.PageCount).ToDictionary(p => p.Key, p => p.Value);
        foreach (var (pgno, offset) in tail.WalPages)
        {
            pages[pgno] = offset;
        }
        return tail with { WalOffset = plan.WalOffset, WalSize = next.WalEnd - plan.WalOffset, WalPages = pages };
    }

    /// <summary>The whole database as SQLite reads it at <paramref name="next"/>: each page's newest frame up to there, else the database file.</summary>
    public static L0Plan Snapshot(ulong txid, FileStream database, SqliteSnapshot next)
    {
        if (next.PageCount == 0)
        {
            throw new StorageException($"{database.Name}: the database holds no pages yet");
        }
        var walPages = new Dictionary<uint, long>();
        if (next.MaxFrame > 0)
        {
            using var wal = OpenWal(database);
            var reader = WalReader.Open(wal);
            CheckGeneration(database, reader, next);
            walPages = WithoutLockPage(reader!.ReadThrough(next.WalEnd, next.PageCount, (next.FrameChecksum1, next.FrameChecksum2)).PageOffsets, next.PageSize);
        }
        var lockPgno = SqlitePages.LockPgno(next.PageSize);
        var filePages = new List<uint>();
        for (uint pgno = 1; pgno <= next.PageCount; pgno++)
        {
            if (pgno != lockPgno && !walPages.ContainsKey(pgno))
            {
                filePages.Add(pgno);
            }
        }
        var walOffset = next.HasWal ? WalHeader.Size : 0;
        return new L0Plan(txid, true, next.PageSize, next.PageCount, walOffset, next.HasWal ? next.WalEnd - walOffset : 0, next.Salt1, next.Salt2, walPages, filePages, next);
    }

    // Every page that changed after the position is in these frames: a page past the old size that is not (SQLite
    // writes each page it adds) would have to come from elsewhere, so the whole database is read instead.
    private static L0Plan Incremental(ulong txid, FileStream database, CapturePosition previous, SqliteSnapshot next, long start)
    {
        WalCommittedRange range;
        using (var wal = OpenWal(database))
        {
            var reader = start == WalHeader.Size ? WalReader.Open(wal) : WalReader.OpenAt(wal, start);
            CheckGeneration(database, reader, next);
            range = reader!.ReadThrough(next.WalEnd, next.PageCount, (next.FrameChecksum1, next.FrameChecksum2));
        }
        var pages = WithoutLockPage(range.PageOffsets, next.PageSize);
        var lockPgno = SqlitePages.LockPgno(next.PageSize);
        for (var pgno = previous.Commit + 1; pgno <= next.PageCount; pgno++)
        {
            if (pgno != lockPgno && !pages.ContainsKey(pgno))
            {
                return Snapshot(txid, database, next);
            }
        }
        return new L0Plan(txid, false, next.PageSize, next.PageCount, start, next.WalEnd - start, next.Salt1, next.Salt2, pages, [], next);
    }

    private static bool ContinuesAt(FileStream database, CapturePosition previous)
    {
        using var wal = OpenWal(database.Name + "-wal");
        return wal is not null && WalReader.OpenAt(wal, previous.WalEnd) is not null;
    }

    private static void CheckGeneration(FileStream database, WalReader? reader, SqliteSnapshot next)
    {
        if (reader is null || !reader.Header.SameSalts(next.Salt1, next.Salt2))
        {
            throw new StorageException($"{database.Name}-wal is not the generation SQLite's snapshot reads ({next}): it changed under the capture");
        }
    }

    internal static FileStream OpenWal(FileStream database) =>
        OpenWal(database.Name + "-wal") ?? throw new StorageException($"{database.Name}-wal disappeared under the capture");

    private static Dictionary<uint, long> WithoutLockPage(IReadOnlyDictionary<uint, long> pages, uint pageSize)
    {
        var lockPgno = SqlitePages.LockPgno(pageSize);
        return pages.Where(p => p.Key != lockPgno).ToDictionary(p => p.Key, p => p.Value);
    }

    /// <summary>The WAL, read through a buffer no larger than it is now: an idle database's is a few KB.</summary>
    internal static FileStream? OpenWal(string path) => IfExists(() => IO.SmallFileReader.Open(path, FileShare.ReadWrite | FileShare.Delete));

    internal static FileStream? OpenShared(string path) =>
        IfExists(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16));

    private static FileStream? IfExists(Func<FileStream> open)
    {
        try
        {
            return open();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
