namespace LitestreamActors.Storage.Replica.WebDav;

/// <summary>
/// A WebDAV replica's settings: <c>webdav://[user:pass@]host/path</c> (http), <c>webdavs://…</c> (https), or
/// <c>webdav-url</c> with <c>webdav-username</c>/<c>webdav-password</c>; config keys win over the URL.
/// </summary>
public sealed record WebDavLocation(Uri BaseUri, string Path, string? Username, string? Password) : IReplicaLocation
{
    public IReplicaClient CreateClient() => new WebDavReplicaClient(this);

    /// <summary>The config keys a WebDAV replica takes.</summary>
    public static IReadOnlySet<string> Keys { get; } = LocationOptions.Keys("webdav-url", "webdav-username", "webdav-password");

    public static WebDavLocation From(Uri? url, IReadOnlyDictionary<string, string> config)
    {
        // Only the config: a WebDAV URL's query belongs to the server's path.
        var options = new LocationOptions("webdav", Keys, null, config);
        string? Option(string name) => options.Get(name);
        var server = Option("webdav-url") is { } given
            ? new Uri(given)
            : url is not null
                ? new UriBuilder(url.Scheme == "webdavs" ? "https" : "http", url.Host, url.Port > 0 ? url.Port : -1).Uri
                : throw new ReplicaConfigurationException("webdav replica requires a url (webdav://host/path) or webdav-url");
        if (server.Scheme is not ("http" or "https"))
        {
            throw new ReplicaConfigurationException($"webdav-url must be http:// or https://: {ReplicaUrl.Redact(server.ToString())}");
        }
        var userInfo = (url?.UserInfo ?? string.Empty).Split(':', 2);
        var path = options.Path ?? (Option("webdav-url") is not null ? server.AbsolutePath : Uri.UnescapeDataString(url?.AbsolutePath ?? string.Empty));
        return new WebDavLocation(
            new UriBuilder(server.Scheme, server.Host, server.Port).Uri,
            "/" + path.Trim('/'),
            Option("webdav-username") ?? (userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null),
            Option("webdav-password") ?? (userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null));
    }

    /// <summary>The collection of one level: <c>&lt;path&gt;/ltx/&lt;level&gt;/</c>, upstream's layout.</summary>
    public string LevelPath(int level) => (Path == "/" ? string.Empty : Path) + $"/ltx/{level}/";

    public string FilePath(int level, ulong minTxid, ulong maxTxid) => LevelPath(level) + Ltx.LtxFileName.Format(minTxid, maxTxid);

    public Uri Resolve(string path) => new(BaseUri, string.Join('/', path.Split('/').Select(Uri.EscapeDataString)));
}
