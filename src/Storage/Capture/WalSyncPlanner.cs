using LitestreamActors.Storage.Sqlite;
using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Decides what the next sync captures, following upstream's rules (formats.md §3.3, §3.6): continue from the
/// previous position while the WAL generation is unchanged and intact; read a new generation from its start only when
/// our own checkpoint restarted it; otherwise, or on the first sync, a full snapshot. Never a broken chain.
/// </summary>
public static class WalSyncPlanner
{
    /// <summary>A single sync reads at most this much WAL; the rest goes into the next TXID, as upstream.</summary>
    public const long MaxWalBytesPerSync = 64L << 20;

    /// <summary>
    /// The plan of the next L0 file, or null when nothing new was committed. <paramref name="database"/> stays open for
    /// the capture's lifetime: closing any descriptor of the database file drops this process's SQLite locks on it.
    /// </summary>
    public static L0Plan? Plan(FileStream database, CapturePosition? previous, bool expectRestart, bool forceSnapshot)
    {
        using var wal = OpenShared(database.Name + "-wal");
        var reader = wal is null ? null : WalReader.Open(wal);
        var txid = (previous?.Txid ?? 0) + 1;

        if (previous is null || forceSnapshot)
        {
            return Snapshot(txid, database, wal, reader);
        }
        if (reader is null)
        {
            // No WAL at all: nothing new unless the last capture came from a WAL, whose loss we cannot account for.
            return previous.Salt1 == 0 && previous.Salt2 == 0 ? null : Snapshot(txid, database, wal, reader);
        }
        if (reader.Header.SameSalts(previous.Salt1, previous.Salt2))
        {
            var resumed = WalReader.OpenAt(wal!, previous.WalEnd);
            if (resumed is null)
            {
                return Snapshot(txid, database, wal, reader);
            }
            var range = resumed.ReadCommitted(MaxWalBytesPerSync);
            return range.IsEmpty ? null : Incremental(txid, resumed.Header, range, previous.Commit);
        }
        var continuity = WalContinuityCheck.Check(wal!, new WalPosition(previous.Salt1, previous.Salt2, previous.WalEnd));
        if (expectRestart && continuity == WalContinuity.Restarted)
        {
            reader = WalReader.Open(wal!)!;
            var range = reader.ReadCommitted(MaxWalBytesPerSync);
            return range.IsEmpty ? null : Incremental(txid, reader.Header, range, previous.Commit);
        }
        return Snapshot(txid, database, wal, WalReader.Open(wal!));
    }

    private static L0Plan Incremental(ulong txid, WalHeader header, WalCommittedRange range, uint previousCommit)
    {
        var growth = new List<uint>();
        var lockPgno = SqlitePages.LockPgno(header.PageSize);
        for (var pgno = previousCommit + 1; pgno <= range.Commit; pgno++)
        {
            if (pgno != lockPgno && !range.PageOffsets.ContainsKey(pgno))
            {
                growth.Add(pgno);
            }
        }
        return new L0Plan(
            txid, false, header.PageSize, range.Commit, range.StartOffset, range.EndOffset - range.StartOffset,
            header.Salt1, header.Salt2, WithoutLockPage(range.PageOffsets, lockPgno), growth);
    }

    private static L0Plan Snapshot(ulong txid, FileStream database, FileStream? wal, WalReader? reader)
    {
        WalCommittedRange? range = null;
        if (reader is not null)
        {
            wal!.Position = 0;
            range = reader.ReadCommitted();
        }
        var pageSize = reader?.Header.PageSize ?? SqlitePageSize.Read(database)
            ?? throw new StorageException($"{database.Name}: empty database file has no page size yet");
        var commit = range is { Commit: > 0 } ? range.Commit : (uint)(database.Length / pageSize);
        if (commit == 0)
        {
            throw new StorageException($"{database.Name}: the database holds no pages yet");
        }
        var lockPgno = SqlitePages.LockPgno(pageSize);
        var walPages = range is null ? new Dictionary<uint, long>() : WithoutLockPage(range.PageOffsets, lockPgno);
        var filePages = new List<uint>();
        for (uint pgno = 1; pgno <= commit; pgno++)
        {
            if (pgno != lockPgno && !walPages.ContainsKey(pgno))
            {
                filePages.Add(pgno);
            }
        }
        return reader is null || range is null
            ? new L0Plan(txid, true, pageSize, commit, 0, 0, 0, 0, walPages, filePages)
            : new L0Plan(txid, true, pageSize, commit, WalHeader.Size, range.EndOffset - WalHeader.Size,
                reader.Header.Salt1, reader.Header.Salt2, walPages, filePages);
    }

    private static Dictionary<uint, long> WithoutLockPage(IReadOnlyDictionary<uint, long> pages, uint lockPgno) =>
        pages.Where(p => p.Key != lockPgno).ToDictionary(p => p.Key, p => p.Value);

    internal static FileStream? OpenShared(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
