namespace LitestreamActors.Storage.Replica;

/// <summary>One LTX file in a replica. CreatedAt is the backend's timestamp (mtime or metadata), which equals the header's.</summary>
public sealed record LtxFileInfo(int Level, ulong MinTxid, ulong MaxTxid, long Size, DateTimeOffset CreatedAt)
{
    public const int SnapshotLevel = 9;
    public const int MaxLevel = 9;

    public string Name => Ltx.LtxFileName.Format(MinTxid, MaxTxid);

    /// <summary>The order listings return: by MinTXID, then MaxTXID.</summary>
    public static int CompareByTxid(LtxFileInfo a, LtxFileInfo b) =>
        a.MinTxid != b.MinTxid ? a.MinTxid.CompareTo(b.MinTxid) : a.MaxTxid.CompareTo(b.MaxTxid);

    /// <summary>A readable path-like name for messages: <c>ltx/0/…ltx</c>.</summary>
    public string DisplayName => $"ltx/{Level}/{Name}";
}
