namespace LitestreamActors.Storage.Sqlite;

public static class SqlitePages
{
    private const long PendingByte = 0x40000000;

    /// <summary>The page holding SQLite's lock bytes; it never stores data and LTX files never carry it.</summary>
    public static uint LockPgno(uint pageSize) => (uint)(PendingByte / pageSize) + 1;
}
