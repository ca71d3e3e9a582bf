using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Reads every page of a database through SQLite itself: its backup API copies the pages the connection's open read
/// transaction sees into a scratch file, a batch at a time, and the scratch file is then handed out page by page. The
/// backup rewrites a few bytes of page 1's header (the change counter, schema cookie and version numbers; see
/// <see cref="Page1.BackupMask"/>), which callers compare without.
/// </summary>
public static class SqliteBackupReader
{
    private const int PagesPerStep = 4096;

    public static void Read(SqliteConnection source, string scratchPath, Action<uint, byte[]> page)
    {
        DeleteScratch(scratchPath);
        try
        {
            Copy(source, scratchPath);
            using var scratch = new FileStream(scratchPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var pageSize = SqlitePageSize.Read(scratch) ?? throw new StorageException($"{scratchPath}: the backup wrote no pages");
            var buffer = new byte[pageSize];
            var pages = (uint)(scratch.Length / pageSize);
            for (uint pgno = 1; pgno <= pages; pgno++)
            {
                RandomAccess.Read(scratch.SafeFileHandle, buffer, (long)(pgno - 1) * pageSize);
                page(pgno, buffer);
            }
        }
        finally
        {
            DeleteScratch(scratchPath);
        }
    }

    private static void Copy(SqliteConnection source, string scratchPath)
    {
        using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = scratchPath, Pooling = false }.ToString());
        destination.Open();
        using (var command = destination.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode = off; PRAGMA synchronous = off";
            command.ExecuteNonQuery();
        }
        var backup = raw.sqlite3_backup_init(destination.Handle, "main", source.Handle, "main");
        if (backup is null || backup.IsInvalid)
        {
            throw new StorageException($"cannot read the database through SQLite: {raw.sqlite3_errmsg(destination.Handle).utf8_to_string()}");
        }
        int rc;
        try
        {
            do
            {
                rc = raw.sqlite3_backup_step(backup, PagesPerStep);
            }
            while (rc == raw.SQLITE_OK);
        }
        finally
        {
            raw.sqlite3_backup_finish(backup);
        }
        if (rc != raw.SQLITE_DONE)
        {
            throw new StorageException($"cannot read the database through SQLite: {raw.sqlite3_errstr(rc).utf8_to_string()}");
        }
    }

    /// <summary>Removes a scratch copy and its journal files (a crash can leave one behind).</summary>
    public static void DeleteScratch(string scratchPath)
    {
        foreach (var suffix in new[] { string.Empty, "-journal", "-wal", "-shm" })
        {
            File.Delete(scratchPath + suffix);
        }
    }
}
