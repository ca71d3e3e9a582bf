using System.Buffers.Binary;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Storage.V3;

/// <summary>
/// What can be checked of a 0.3 snapshot once decompressed, since the format carries no checksum for it: an SQLite
/// header, a valid page size, whole pages, and at least the pages the header says the database holds.
/// </summary>
internal static class V3SnapshotImage
{
    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    public static void Check(FileStream database, string path)
    {
        Span<byte> header = stackalloc byte[100];
        if (RandomAccess.Read(database.SafeFileHandle, header, 0) < header.Length || !header[..16].SequenceEqual(Magic))
        {
            throw new RestoreException($"{path}: not an SQLite database image ({database.Length} bytes, no SQLite header)");
        }
        var raw = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        var pageSize = raw == 1 ? 65536L : raw;
        if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0 || database.Length % pageSize != 0)
        {
            throw new RestoreException($"{path}: not an SQLite database image (page size {pageSize}, {database.Length} bytes)");
        }
        // The size in the header counts only when the change counter matches the version-valid-for number (SQLite's rule).
        var pages = BinaryPrimitives.ReadUInt32BigEndian(header[28..]);
        var sizeValid = BinaryPrimitives.ReadUInt32BigEndian(header[24..]) == BinaryPrimitives.ReadUInt32BigEndian(header[92..]);
        if (sizeValid && pages * pageSize > database.Length)
        {
            throw new RestoreException($"{path}: the snapshot holds {database.Length / pageSize} pages of a {pages}-page database");
        }
    }
}
