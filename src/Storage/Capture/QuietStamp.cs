namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The stamps of a database and its WAL taken before a capture that found nothing new: while both files still carry
/// them, the next capture would find nothing either and need not begin SQLite's read (docs/capture.md, "Idle
/// databases"). Only trusted once both changed at least <see cref="Settle"/> before the stamp was taken: a write in the
/// same tick of the file system's clock could leave a stamp as it was.
/// </summary>
public sealed record QuietStamp(FileStamp? Database, FileStamp? Wal, DateTime TakenAt)
{
    /// <summary>Longer than any file system's timestamp granularity we run on (FAT's is 2 s).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static QuietStamp Take(string databasePath, DateTime nowUtc) =>
        new(FileStamp.Of(databasePath), FileStamp.Of(databasePath + "-wal"), nowUtc);

    /// <summary>Whether both files had last changed long enough before the stamp for it to prove a quiet spell.</summary>
    public bool Settled =>
        Database is { } database && database.Changed <= TakenAt - Settle && (Wal is not { } wal || wal.Changed <= TakenAt - Settle);

    /// <summary>Whether <paramref name="now"/> shows both files exactly as this settled stamp did.</summary>
    public bool Unchanged(QuietStamp now) => Settled && Database == now.Database && Wal == now.Wal;
}
