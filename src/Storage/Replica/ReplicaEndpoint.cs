namespace LitestreamActors.Storage.Replica;

/// <summary>
/// Where a replica lives, as config or a URL names it, before a client is made for it. <see cref="Options"/> holds the
/// backend's own keys (region, endpoint, credentials…) by their config names.
/// </summary>
public sealed record ReplicaEndpoint(string Type, string? Url, string? Path)
{
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}
