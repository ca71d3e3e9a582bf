namespace LitestreamActors.Storage.Replica.Sftp;

/// <summary>An SFTP replica's settings, from <c>sftp://user[:password]@host:port/path</c>, its query and config keys.</summary>
public sealed record SftpLocation(
    string Host, int Port, string User, string? Password, string? KeyPath, string Path, string? HostKey, bool InsecureIgnoreHostKey) : IReplicaLocation
{
    /// <summary>The config keys an SFTP replica takes (the URL query takes them too).</summary>
    public static IReadOnlySet<string> Keys { get; } = LocationOptions.Keys("user", "password", "key-path", "host-key", "insecure-ignore-host-key");

    public static SftpLocation From(Uri url, IReadOnlyDictionary<string, string> config)
    {
        var options = new LocationOptions("sftp", Keys, url, config);
        string? Option(string name) => options.Get(name);
        var userInfo = url.UserInfo.Split(':', 2);
        var user = Option("user") ?? (userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : throw new ReplicaConfigurationException("sftp replica requires a user (sftp://user@host/path)"));
        var path = options.Path ?? Uri.UnescapeDataString(url.AbsolutePath);
        var insecure = options.Flag("insecure-ignore-host-key");
        if (Option("host-key") is null && !insecure)
        {
            throw new ReplicaConfigurationException("sftp replica requires host-key (or an explicit insecure-ignore-host-key: true)");
        }
        if (Option("password") is null && userInfo.Length < 2 && Option("key-path") is null)
        {
            throw new ReplicaConfigurationException("sftp replica requires key-path or password");
        }
        return new SftpLocation(
            url.Host,
            url.Port > 0 ? url.Port : 22,
            user,
            Option("password") ?? (userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null),
            Option("key-path"),
            path.Length > 1 ? path.TrimEnd('/') : path,
            Option("host-key"),
            insecure);
    }

    public IReplicaClient CreateClient() => new SftpReplicaClient(this);

    public string Directory(int level) => $"{Path}/ltx/{level}";
}
