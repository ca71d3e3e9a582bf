namespace LitestreamActors.Storage.Replica;

/// <summary>
/// Where a replica lives, as config or a URL names it, before a client is made for it. <see cref="Options"/> holds the
/// backend's own keys (region, endpoint, credentials…) by their config names.
/// </summary>
public sealed record ReplicaEndpoint(string Type, string? Url, string? Path)
{
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>The backend: the type given, else the URL's scheme, else a folder.</summary>
    public string BackendType => Type.Length > 0 ? Type : ReplicaUrl.SchemeOf(Url) ?? "file";

    /// <summary>
    /// The target as a comparable text: backend, host or bucket, and path, without query or credentials, so two
    /// entries writing to the same place compare equal.
    /// </summary>
    public string TargetKey()
    {
        if (Url is not null && Uri.TryCreate(Url, UriKind.Absolute, out var uri))
        {
            var host = uri.Scheme == "file" ? string.Empty : uri.Host.ToLowerInvariant();
            return $"{uri.Scheme.ToLowerInvariant()}://{host}/{Uri.UnescapeDataString(uri.AbsolutePath).Trim('/')}";
        }
        var bucket = Options.TryGetValue("bucket", out var b) ? b : string.Empty;
        var type = Type.Length == 0 ? "file" : Type;
        return $"{type}://{bucket}/{(Path ?? string.Empty).Trim('/')}";
    }
}
