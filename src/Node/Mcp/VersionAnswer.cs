namespace LitestreamActors.Node.Mcp;

/// <summary><c>litestream_version</c>'s result.</summary>
public sealed record VersionAnswer(string Version);
