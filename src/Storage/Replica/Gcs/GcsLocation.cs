namespace LitestreamActors.Storage.Replica.Gcs;

/// <summary>
/// A Google Cloud Storage replica's settings, from <c>gs://bucket/path</c> (or 0.3's <c>gcs://</c>) and config keys.
/// Credentials: <c>credentials-file</c> (a service-account key) or Application Default Credentials. <c>endpoint</c>
/// (or STORAGE_EMULATOR_HOST) aims the client at an emulator, which takes no credentials.
/// </summary>
public sealed record GcsLocation(string Bucket, string Prefix, string? CredentialsFile, string? Endpoint) : IReplicaLocation
{
    public IReplicaClient CreateClient() => new GcsReplicaClient(this);

    /// <summary>The config keys a GCS replica takes (the URL query takes them too).</summary>
    public static IReadOnlySet<string> Keys { get; } = LocationOptions.Keys("bucket", "credentials-file", "endpoint");

    public static GcsLocation From(Uri? url, IReadOnlyDictionary<string, string> config)
    {
        var options = new LocationOptions("gs", Keys, url, config);
        string? Option(string name) => options.Get(name);
        var bucket = Option("bucket") ?? url?.Host ?? string.Empty;
        if (bucket.Length == 0)
        {
            throw new ReplicaConfigurationException("gs replica requires a bucket (gs://bucket/path)");
        }
        return new GcsLocation(
            bucket,
            (options.Path ?? Uri.UnescapeDataString(url?.AbsolutePath ?? string.Empty)).Trim('/'),
            Option("credentials-file"),
            Option("endpoint") ?? Environment.GetEnvironmentVariable("STORAGE_EMULATOR_HOST"));
    }

    public string LevelPrefix(int level) => ObjectKeys.LevelPrefix(Prefix, level);

    public string ObjectName(int level, ulong minTxid, ulong maxTxid) => ObjectKeys.Key(Prefix, level, minTxid, maxTxid);
}
