namespace LitestreamActors.Storage.Capture;

/// <summary>
/// What the next L0 file holds: for each page, the WAL frame offset of its newest committed version up to SQLite's
/// snapshot, or (in a full file, for pages no frame of the generation holds) the database file. A full file carries
/// every page of the database. <see cref="Snapshot"/> is what SQLite sees at the file's TXID.
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
    IReadOnlyList<uint> DatabaseFilePages,
    SqliteSnapshot Snapshot)
{
    public CapturePosition Position => new(Txid, Salt1, Salt2, WalOffset + WalSize, Commit, PageSize);

    public int PageCount => WalPages.Count + DatabaseFilePages.Count;

    /// <summary>
    /// An incremental made by comparing the database with the state the newest file claims, page by page (the WAL
    /// did not continue that file): only the pages that differ, read where SQLite's reader finds them.
    /// </summary>
    public bool ByComparison { get; init; }
}
