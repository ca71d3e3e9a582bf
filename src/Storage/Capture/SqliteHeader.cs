namespace LitestreamActors.Storage.Capture;

/// <summary>The 16 bytes every SQLite database file starts with.</summary>
public static class SqliteHeader
{
    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>True for an SQLite database, or an empty file (which SQLite makes one on first write).</summary>
    public static bool IsDatabaseOrEmpty(FileStream file) => Read(file) is 0 or 1;

    /// <summary>True when the file starts with the header: an empty file is not a database yet.</summary>
    public static bool IsDatabase(FileStream file) => Read(file) == 1;

    // 0: empty, 1: the header, -1: anything else.
    private static int Read(FileStream file)
    {
        Span<byte> start = stackalloc byte[16];
        var read = RandomAccess.Read(file.SafeFileHandle, start, 0);
        return read == 0 ? 0 : read == start.Length && start.SequenceEqual(Magic) ? 1 : -1;
    }
}
