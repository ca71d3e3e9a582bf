namespace LitestreamActors.Storage.Capture;

/// <summary>
/// What the next L0 file holds: for each page, the WAL frame offset of its newest committed version, or the database
/// file when the WAL lacks it (snapshot pages, growth pages). A snapshot carries every page of the database.
/// </summary>
public sealed record L0Plan(
    ulong Txid,
    bool IsSnapshot,
    uint PageSize,
    uint Commit,
    long WalOffset,
    long WalSize,
    uint Salt1,
    uint Salt2,
    IReadOnlyDictionary<uint, long> WalPages,
    IReadOnlyList<uint> DatabaseFilePages)
{
    public CapturePosition Position => new(Txid, Salt1, Salt2, WalOffset + WalSize, Commit, PageSize);

    public int PageCount => WalPages.Count + DatabaseFilePages.Count;
}
