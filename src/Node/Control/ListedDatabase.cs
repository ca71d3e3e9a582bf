namespace LitestreamActors.Node.Control;

/// <summary>One database in <c>/list</c>.</summary>
public sealed record ListedDatabase(string Path, string Status, DateTimeOffset? LastSyncAt);
