namespace LitestreamActors.Storage.Replica.Azure;

/// <summary>
/// An Azure Blob replica's settings, from <c>abs://[account@]container/path</c> (or <c>abs://account/container/path</c>
/// when <c>account-name</c> names the host) and config keys. Credentials are tried in upstream's order: SAS token, account
/// key, then the default Azure credential chain; a connection string, when given, carries its own.
/// </summary>
public sealed record AbsLocation(
    string? AccountName, string Container, string Prefix, string? Endpoint, string? AccountKey, string? SasToken, string? ConnectionString) : IReplicaLocation
{
    public IReplicaClient CreateClient() => new AbsReplicaClient(this);

    /// <summary>The config keys an Azure Blob replica takes (the URL query takes them too).</summary>
    public static IReadOnlySet<string> Keys { get; } = LocationOptions.Keys(
        "bucket", "account-name", "account-key", "sas-token", "connection-string", "endpoint");

    public static AbsLocation From(Uri? url, IReadOnlyDictionary<string, string> config)
    {
        var options = new LocationOptions("abs", Keys, url, config);
        string? Option(string name) => options.Get(name);

        var account = Option("account-name") ?? (url is { UserInfo.Length: > 0 } ? Uri.UnescapeDataString(url.UserInfo) : null);
        var host = url?.Host ?? string.Empty;
        var path = Uri.UnescapeDataString(url?.AbsolutePath ?? string.Empty).Trim('/');
        string container;
        if (url is not null && url.UserInfo.Length == 0 && account is not null && string.Equals(host, account, StringComparison.OrdinalIgnoreCase))
        {
            var parts = path.Split('/', 2);
            container = parts[0];
            path = parts.Length > 1 ? parts[1] : string.Empty;
        }
        else
        {
            container = host;
        }
        container = Option("bucket") ?? container;
        if (container.Length == 0)
        {
            throw new ReplicaConfigurationException("abs replica requires a container (abs://account@container/path)");
        }
        var connectionString = Option("connection-string");
        if (account is null && connectionString is null)
        {
            throw new ReplicaConfigurationException("abs replica requires an account (abs://account@container/path or account-name)");
        }
        return new AbsLocation(
            account,
            container,
            (options.Path ?? path).Trim('/'),
            Option("endpoint"),
            Option("account-key") ?? Environment.GetEnvironmentVariable("LITESTREAM_AZURE_ACCOUNT_KEY"),
            Option("sas-token") ?? Environment.GetEnvironmentVariable("LITESTREAM_AZURE_SAS_TOKEN"),
            connectionString);
    }

    /// <summary>The service URL: <c>endpoint</c> if set, else the account's public endpoint.</summary>
    public Uri ServiceUri => new(Endpoint is { } e
        ? (e.Contains("://", StringComparison.Ordinal) ? e : "https://" + e)
        : $"https://{AccountName}.blob.core.windows.net");

    public string LevelPrefix(int level) => ObjectKeys.LevelPrefix(Prefix, level);

    public string BlobName(int level, ulong minTxid, ulong maxTxid) => ObjectKeys.Key(Prefix, level, minTxid, maxTxid);
}
