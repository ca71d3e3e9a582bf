namespace LitestreamActors.Storage.Capture;

internal static class SqlitePageSize
{
    /// <summary>The page size recorded in a database file's header (bytes 16-17, 1 meaning 65536); null for an empty file.</summary>
    public static uint? Read(Stream database)
    {
        Span<byte> header = stackalloc byte[18];
        database.Position = 0;
        if (database.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            return null;
        }
        var raw = (uint)((header[16] << 8) | header[17]);
        return raw == 1 ? 65536 : raw;
    }
}
