namespace LitestreamActors.Storage.Replica;

/// <summary>Where a replica lives, as config or a URL names it, before a client is made for it.</summary>
public sealed record ReplicaEndpoint(string Type, string? Url, string? Path);
