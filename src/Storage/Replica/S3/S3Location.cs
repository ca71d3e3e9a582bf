using LitestreamActors.Storage.Text;

namespace LitestreamActors.Storage.Replica.S3;

/// <summary>An S3 replica's settings, from <c>s3://bucket/path?query</c> and the replica's config keys (config wins).</summary>
public sealed record S3Location(
    string Bucket, string Prefix, string? Region, string? Endpoint, bool ForcePathStyle, string? AccessKeyId, string? SecretAccessKey, bool SkipVerify) : IReplicaLocation
{
    /// <summary>Upstream's (the Go SDK's) default part size for multipart uploads: 5 MiB.</summary>
    public const long DefaultPartSize = 5 << 20;

    public string? StorageClass { get; init; }
    public long PartSize { get; init; } = DefaultPartSize;
    public int Concurrency { get; init; } = 5;
    public bool SignPayload { get; init; } = true;
    public bool RequireContentMd5 { get; init; } = true;

    /// <summary>The SSE-C key, base64 as the S3 API takes it; null without one.</summary>
    public string? SseCustomerKey { get; init; }
    public string SseCustomerAlgorithm { get; init; } = "AES256";
    public string? SseKmsKeyId { get; init; }

    public IReplicaClient CreateClient() => new S3ReplicaClient(this);

    /// <summary>The config keys an S3 replica takes (the URL query takes them too, and upstream's camelCase spellings).</summary>
    public static IReadOnlySet<string> Keys { get; } = LocationOptions.Keys(
        "bucket", "region", "endpoint", "force-path-style", "skip-verify", "access-key-id", "secret-access-key", "part-size",
        "concurrency", "storage-class", "sse-customer-key", "sse-customer-key-path", "sse-customer-algorithm", "sse-kms-key-id",
        "sign-payload", "require-content-md5");

    public static S3Location From(Uri? url, IReadOnlyDictionary<string, string> config)
    {
        var options = new LocationOptions("s3", Keys, url, config);
        string? Option(string name, string? alias = null) => options.Get(name, alias);

        var bucket = Option("bucket") ?? url?.Host ?? string.Empty;
        if (bucket.Length == 0)
        {
            throw new ReplicaConfigurationException("s3 replica requires a bucket");
        }
        var prefix = (options.Path ?? Uri.UnescapeDataString(url?.AbsolutePath ?? string.Empty)).Trim('/');
        var partSize = Option("part-size", "partSize") is { } size
            ? ByteSize.TryParse(size, out var bytes) && bytes >= DefaultPartSize ? bytes : throw new ReplicaConfigurationException($"s3 replica: part-size must be a size of at least 5MiB: {size}")
            : DefaultPartSize;
        var concurrency = Option("concurrency") is { } n
            ? int.TryParse(n, System.Globalization.CultureInfo.InvariantCulture, out var c) && c > 0 ? c : throw new ReplicaConfigurationException($"s3 replica: concurrency must be a positive number: {n}")
            : 5;
        var keyPath = Option("sse-customer-key-path", "sseCustomerKeyPath");
        var customerKey = Option("sse-customer-key", "sseCustomerKey")
            ?? (keyPath is not null ? System.IO.File.ReadAllText(PathOf(keyPath)).Trim() : null);
        return new S3Location(
            bucket,
            prefix,
            Option("region"),
            Option("endpoint"),
            options.Flag("force-path-style", "forcePathStyle"),
            Option("access-key-id") ?? Environment.GetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID"),
            Option("secret-access-key") ?? Environment.GetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY"),
            options.Flag("skip-verify", "skipVerify"))
        {
            StorageClass = Option("storage-class", "storageClass"),
            PartSize = partSize,
            Concurrency = concurrency,
            SignPayload = options.Flag("sign-payload", "signPayload", absent: true),
            RequireContentMd5 = options.Flag("require-content-md5", "requireContentMD5", absent: true),
            SseCustomerKey = customerKey is null ? null : CustomerKey(customerKey),
            SseCustomerAlgorithm = Option("sse-customer-algorithm", "sseCustomerAlgorithm") ?? "AES256",
            SseKmsKeyId = Option("sse-kms-key-id", "sseKmsKeyId"),
        };
    }

    /// <summary>The object key of an LTX file: <c>&lt;prefix&gt;/&lt;level as %04x&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c>, upstream's S3 layout.</summary>
    public string Key(int level, ulong minTxid, ulong maxTxid) => ObjectKeys.Key(Prefix, level, minTxid, maxTxid, hexLevel: true);

    public string LevelPrefix(int level) => ObjectKeys.LevelPrefix(Prefix, level, hexLevel: true);

    // A 256-bit key given raw (32 characters) or already base64; anything else is refused rather than sent.
    private static string CustomerKey(string key)
    {
        if (key.Length == 32)
        {
            return Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key));
        }
        Span<byte> decoded = stackalloc byte[48];
        return Convert.TryFromBase64String(key, decoded, out var length) && length == 32
            ? key
            : throw new ReplicaConfigurationException("s3 replica: sse-customer-key must be 32 bytes, raw or base64");
    }

    private static string PathOf(string path) =>
        path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path[2..]) : path;
}
