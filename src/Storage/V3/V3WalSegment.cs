namespace LitestreamActors.Storage.V3;

/// <summary>A Litestream 0.3 WAL segment: bytes [Offset, …) of WAL index <see cref="Index"/>, LZ4-framed.</summary>
public sealed record V3WalSegment(string Generation, uint Index, long Offset, string Path, long Size, DateTimeOffset CreatedAt);
