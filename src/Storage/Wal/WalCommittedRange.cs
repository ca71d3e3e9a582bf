namespace LitestreamActors.Storage.Wal;

/// <summary>
/// Committed WAL content between two offsets: for each page the offset of its latest committed frame, and the database
/// size in pages after the last commit (0 when no commit was found).
/// </summary>
public sealed record WalCommittedRange(long StartOffset, long EndOffset, uint Commit, IReadOnlyDictionary<uint, long> PageOffsets)
{
    public bool IsEmpty => EndOffset == StartOffset;
}
