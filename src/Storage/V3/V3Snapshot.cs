namespace LitestreamActors.Storage.V3;

/// <summary>A Litestream 0.3 snapshot: <c>generations/&lt;generation&gt;/snapshots/&lt;index %08x&gt;.snapshot.lz4</c>.</summary>
public sealed record V3Snapshot(string Generation, uint Index, string Path, long Size, DateTimeOffset CreatedAt);
