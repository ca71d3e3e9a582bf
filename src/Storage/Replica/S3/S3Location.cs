namespace LitestreamActors.Storage.Replica.S3;

/// <summary>An S3 replica's settings, from <c>s3://bucket/path?query</c> and the replica's config keys (config wins).</summary>
public sealed record S3Location(
    string Bucket, string Prefix, string? Region, string? Endpoint, bool ForcePathStyle, string? AccessKeyId, string? SecretAccessKey, bool SkipVerify)
{
    public static S3Location From(Uri? url, IReadOnlyDictionary<string, string> options)
    {
        var query = ReplicaUrl.QueryOptions(url);
        string? Option(params string[] names) =>
            names.Select(n => options.GetValueOrDefault(n)).FirstOrDefault(v => v is not null)
            ?? names.Select(n => query.GetValueOrDefault(n)).FirstOrDefault(v => v is not null);

        var bucket = Option("bucket") ?? url?.Host ?? string.Empty;
        if (bucket.Length == 0)
        {
            throw new ReplicaConfigurationException("s3 replica requires a bucket");
        }
        var prefix = (options.GetValueOrDefault("path") ?? Uri.UnescapeDataString(url?.AbsolutePath ?? string.Empty)).Trim('/');
        return new S3Location(
            bucket,
            prefix,
            Option("region"),
            Option("endpoint"),
            IsTrue(Option("force-path-style", "forcePathStyle")),
            Option("access-key-id") ?? Environment.GetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID"),
            Option("secret-access-key") ?? Environment.GetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY"),
            IsTrue(Option("skip-verify", "skipVerify")));
    }

    /// <summary>The object key of an LTX file: <c>&lt;prefix&gt;/&lt;level as %04x&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c>, upstream's S3 layout.</summary>
    public string Key(int level, ulong minTxid, ulong maxTxid) => LevelPrefix(level) + Ltx.LtxFileName.Format(minTxid, maxTxid);

    public string LevelPrefix(int level) => (Prefix.Length > 0 ? Prefix + "/" : string.Empty) + level.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + "/";

    private static bool IsTrue(string? value) => value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

}
