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

    /// <summary>
    /// The same target with a relative path appended, as upstream places each database of a <c>dir:</c> entry: after a
    /// URL's path (before its query), else after the configured path (docs/configuration.md).
    /// </summary>
    public ReplicaEndpoint Under(string relativePath)
    {
        var relative = relativePath.Replace('\\', '/').Trim('/');
        if (Url is not null)
        {
            var query = Url.IndexOf('?', StringComparison.Ordinal);
            var (head, tail) = query < 0 ? (Url, string.Empty) : (Url[..query], Url[query..]);
            var escaped = string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));
            return this with { Url = $"{head.TrimEnd('/')}/{escaped}{tail}" };
        }
        return this with { Path = Path is { Length: > 0 } prefix ? $"{prefix.TrimEnd('/')}/{relative}" : relative };
    }

    /// <summary>
    /// The endpoint without credentials (config keys that hold or point to a secret, and a URL's user info), as one
    /// node describes its replica to another: the receiver brings its own credentials (docs/cluster.md).
    /// </summary>
    public ReplicaEndpoint WithoutSecrets() => this with
    {
        Url = Url is null ? null : WithoutSecretQuery(ReplicaUrl.Redact(Url)),
        Options = Options.Where(o => !SecretKeys.Contains(o.Key)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal),
    };

    // Query keys are compared without case or dashes, so upstream's camelCase spellings go too.
    private static string WithoutSecretQuery(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return url;
        }
        var secret = SecretKeys.Select(k => k.Replace("-", string.Empty, StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var kept = url[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(part => !secret.Contains(Uri.UnescapeDataString(part.Split('=', 2)[0]).Replace("-", string.Empty, StringComparison.Ordinal)));
        var rest = string.Join('&', kept);
        return rest.Length == 0 ? url[..query] : url[..(query + 1)] + rest;
    }

    private static readonly HashSet<string> SecretKeys = new(StringComparer.Ordinal)
    {
        "access-key-id", "secret-access-key", "sse-customer-key", "sse-customer-key-path", "account-key", "sas-token", "connection-string",
        "credentials-file", "user", "password", "key-path", "username", "token", "creds", "nkey", "jwt", "seed", "client-key",
        "webdav-username", "webdav-password",
    };
}
