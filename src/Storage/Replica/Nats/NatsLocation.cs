using NATS.Client.Core;

namespace LitestreamActors.Storage.Replica.Nats;

/// <summary>A NATS replica's settings, from <c>nats://[user:pass@]host:port/bucket</c> and the replica's config keys.</summary>
public sealed record NatsLocation(string Server, string Bucket, string? Username, string? Password, string? Token, string? CredsFile)
{
    public static NatsLocation From(Uri? url, IReadOnlyDictionary<string, string> options)
    {
        var bucket = options.GetValueOrDefault("bucket") ?? url?.AbsolutePath.Trim('/') ?? string.Empty;
        if (bucket.Length == 0)
        {
            throw new ReplicaConfigurationException("nats replica requires a bucket (nats://host:port/bucket or bucket:)");
        }
        var userInfo = url?.UserInfo.Split(':', 2) ?? [];
        var server = url is null ? "127.0.0.1:4222" : $"{url.Host}:{(url.Port > 0 ? url.Port : 4222)}";
        return new NatsLocation(
            server,
            bucket,
            options.GetValueOrDefault("username") ?? (userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null),
            options.GetValueOrDefault("password") ?? (userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null),
            options.GetValueOrDefault("token"),
            options.GetValueOrDefault("creds"));
    }

    public NatsOpts Options() => NatsOpts.Default with
    {
        Url = "nats://" + Server,
        Name = "litestream",
        AuthOpts = NatsAuthOpts.Default with { Username = Username, Password = Password, Token = Token, CredsFile = CredsFile },
    };
}
