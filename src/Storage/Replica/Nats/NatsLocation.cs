using LitestreamActors.Storage.Text;
using NATS.Client.Core;

namespace LitestreamActors.Storage.Replica.Nats;

/// <summary>
/// A NATS replica's settings, from <c>nats://[user:pass@]host:port/bucket</c> and the replica's config keys: user and
/// password, token, creds file, NKey seed file (<c>nkey</c>), JWT with its seed, TLS (<c>root-cas</c>, one file per line,
/// <c>client-cert</c> with <c>client-key</c>), and reconnect settings as upstream's defaults.
/// </summary>
public sealed record NatsLocation(string Server, string Bucket, string? Username, string? Password, string? Token, string? CredsFile) : IReplicaLocation
{
    public string? NKeyFile { get; init; }
    public string? Jwt { get; init; }
    public string? Seed { get; init; }
    public bool Tls { get; init; }
    public IReadOnlyList<string> RootCas { get; init; } = [];
    public string? ClientCert { get; init; }
    public string? ClientKey { get; init; }
    public int MaxReconnects { get; init; } = -1;
    public TimeSpan ReconnectWait { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    public IReplicaClient CreateClient() => new NatsReplicaClient(this);

    /// <summary>The config keys a NATS replica takes (the URL query takes them too).</summary>
    public static IReadOnlySet<string> Keys { get; } = LocationOptions.Keys(
        "bucket", "username", "password", "token", "creds", "nkey", "jwt", "seed", "tls", "root-cas", "client-cert", "client-key",
        "max-reconnects", "reconnect-wait", "timeout");

    public static NatsLocation From(Uri? url, IReadOnlyDictionary<string, string> config)
    {
        var options = new LocationOptions("nats", Keys, url, config);
        string? Option(string name) => options.Get(name);
        var bucket = Option("bucket") ?? url?.AbsolutePath.Trim('/') ?? string.Empty;
        if (bucket.Length == 0)
        {
            throw new ReplicaConfigurationException("nats replica requires a bucket (nats://host:port/bucket or bucket:)");
        }
        if ((Option("client-cert") is null) != (Option("client-key") is null))
        {
            throw new ReplicaConfigurationException("nats replica: client-cert and client-key must be given together");
        }
        if ((Option("jwt") is null) != (Option("seed") is null))
        {
            throw new ReplicaConfigurationException("nats replica: jwt and seed must be given together");
        }
        var userInfo = url?.UserInfo.Split(':', 2) ?? [];
        var server = url is null ? "127.0.0.1:4222" : $"{url.Host}:{(url.Port > 0 ? url.Port : 4222)}";
        var rootCas = (Option("root-cas") ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new NatsLocation(
            server,
            bucket,
            Option("username") ?? (userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null),
            Option("password") ?? (userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null),
            Option("token"),
            Option("creds"))
        {
            NKeyFile = Option("nkey"),
            Jwt = Option("jwt"),
            Seed = Option("seed"),
            Tls = options.Flag("tls") || rootCas.Length > 0 || Option("client-cert") is not null,
            RootCas = rootCas,
            ClientCert = Option("client-cert"),
            ClientKey = Option("client-key"),
            MaxReconnects = Option("max-reconnects") is { } n
                ? int.TryParse(n, System.Globalization.CultureInfo.InvariantCulture, out var count) ? count : throw options.Invalid("max-reconnects", n, "a number")
                : -1,
            ReconnectWait = options.Duration("reconnect-wait") ?? TimeSpan.FromSeconds(2),
            Timeout = options.Duration("timeout") ?? TimeSpan.FromSeconds(10),
        };
    }

    /// <param name="caBundle">The root CAs in one file, as the client takes them; null without <c>root-cas</c>.</param>
    public NatsOpts Options(string? caBundle)
    {
        var (nkey, seed) = NKeyFile is { } file ? NKeyFromSeedFile(file) : (null, Seed);
        return NatsOpts.Default with
        {
        Url = (Tls ? "tls://" : "nats://") + Server,
        Name = "litestream",
        AuthOpts = NatsAuthOpts.Default with
        {
            Username = Username,
            Password = Password,
            Token = Token,
            CredsFile = CredsFile,
            NKey = nkey,
            Jwt = Jwt,
            Seed = seed,
        },
        TlsOpts = Tls
            ? NatsTlsOpts.Default with { Mode = TlsMode.Require, CaFile = caBundle, CertFile = ClientCert, KeyFile = ClientKey }
            : NatsTlsOpts.Default,
        MaxReconnectRetry = MaxReconnects,
        // Upstream's reconnect-wait is a fixed pause between attempts (nats.go); NATS.Net would double it up to 5 s,
        // past the patience an operation has for a blip (ReconnectWait × 2 + 1 s).
        ReconnectWaitMin = ReconnectWait,
        ReconnectWaitMax = ReconnectWait,
        ConnectTimeout = Timeout,
        RequestTimeout = Timeout,
        // A connection that stalls is given up after two unanswered pings (the client's default waits minutes).
        PingInterval = Timeout,
        MaxPingOut = 2,
        };
    }

    // As upstream's (Go's nats.NkeyOptionFromSeed): the file holds the user's seed; its public key is derived from it.
    private static (string PublicKey, string Seed) NKeyFromSeedFile(string file)
    {
        var seed = System.IO.File.ReadLines(file).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("SU", StringComparison.Ordinal))
            ?? throw new ReplicaConfigurationException($"nats replica: no user seed (SU…) in nkey file {file}");
        return (NATS.NKeys.KeyPair.FromSeed(seed).GetPublicKey(), seed);
    }
}
