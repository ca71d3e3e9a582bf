using System.Buffers.Binary;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The check every L0 file passes before it is published (docs/capture.md): its size equals the page count SQLite
/// reports at that TXID, a change of size comes with page 1, and page 1 as the file leaves it says what SQLite says of
/// it (size, freelist, schema cookie, user version, application id). Pure, so each rule has a unit test.
/// </summary>
public static class CaptureCheck
{
    /// <param name="commit">The file's database size in pages.</param>
    /// <param name="previousCommit">The size before the file; null for a full file.</param>
    /// <param name="page1">Page 1 after the file applies, when known; empty otherwise.</param>
    /// <param name="page1InFile">Whether the file itself carries page 1.</param>
    /// <returns>Null when the file agrees with SQLite; otherwise what differs, with both values.</returns>
    public static string? Problem(uint commit, uint? previousCommit, ReadOnlySpan<byte> page1, bool page1InFile, SqliteView sqlite)
    {
        if (commit != sqlite.PageCount)
        {
            return $"the file's database size is {commit} pages, SQLite's {sqlite.PageCount}";
        }
        if (previousCommit is { } before && before != commit && !page1InFile)
        {
            return $"the database size changed from {before} to {commit} pages but the file does not carry page 1";
        }
        if (page1.Length < 100)
        {
            return null;
        }
        // SQLite trusts the in-header size only while the version-valid-for number equals the change counter.
        var headerSize = BinaryPrimitives.ReadUInt32BigEndian(page1[28..]);
        var sizeValid = BinaryPrimitives.ReadUInt32BigEndian(page1[92..]) == BinaryPrimitives.ReadUInt32BigEndian(page1[24..]);
        if (sizeValid && headerSize != commit)
        {
            return $"page 1 gives the database size as {headerSize} pages, SQLite {sqlite.PageCount}";
        }
        return Differs("freelist page count", page1, 36, sqlite.FreelistCount)
            ?? Differs("schema cookie", page1, 40, sqlite.SchemaVersion)
            ?? Differs("user version", page1, 60, sqlite.UserVersion)
            ?? Differs("application id", page1, 68, sqlite.ApplicationId);
    }

    private static string? Differs(string field, ReadOnlySpan<byte> page1, int offset, uint sqlite)
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(page1[offset..]);
        return value == sqlite ? null : $"page 1 gives the {field} as {value}, SQLite {sqlite}";
    }
}
