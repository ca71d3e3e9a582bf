using System.Buffers.Binary;
using LitestreamActors.Storage.Checksums;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Sqlite;

/// <summary>
/// LTX's database checksum (docs/formats.md §1.5): each page's <c>Flag | CRC-64(pgno BE ‖ data)</c>, XORed over every page
/// but the lock page, with the flag set. Two databases with equal checksums hold the same pages.
/// </summary>
public static class PageChecksum
{
    public static ulong Of(uint pgno, ReadOnlySpan<byte> page)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(number, pgno);
        return LtxChecksum.Flag | Crc64Iso.Update(Crc64Iso.Compute(number), page);
    }

    /// <summary>The database checksum of a SQLite file (its pages as they are on disk; no WAL).</summary>
    public static ulong OfDatabaseFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var pageSize = Capture.SqlitePageSize.Read(stream) ?? throw new StorageException($"{path}: empty database file");
        var handle = stream.SafeFileHandle;
        var length = RandomAccess.GetLength(handle);
        var lockPgno = SqlitePages.LockPgno(pageSize);
        var page = new byte[pageSize];
        ulong sum = 0;
        for (uint pgno = 1; (long)pgno * pageSize <= length; pgno++)
        {
            if (pgno == lockPgno)
            {
                continue;
            }
            RandomAccess.Read(handle, page, (long)(pgno - 1) * pageSize);
            sum ^= Of(pgno, page);
        }
        return LtxChecksum.Flag | sum;
    }
}
