namespace LitestreamActors.Storage.Capture;

internal static class WalStatus
{
    /// <summary>The WAL's length in pages of the given size (0 when there is no WAL).</summary>
    public static long Pages(string databasePath, uint pageSize)
    {
        var wal = new FileInfo(databasePath + "-wal");
        return wal.Exists && pageSize > 0 ? wal.Length / (pageSize + Wal.WalFrameHeader.Size) : 0;
    }
}
