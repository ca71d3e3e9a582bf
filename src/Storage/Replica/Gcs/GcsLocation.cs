namespace LitestreamActors.Storage.Replica.Gcs;

/// <summary>
/// A Google Cloud Storage replica's settings, from <c>gs://bucket/path</c> (or 0.3's <c>gcs://</c>) and config keys.
/// Credentials: <c>credentials-file</c> (a service-account key) or Application Default Credentials. <c>endpoint</c>
/// (or STORAGE_EMULATOR_HOST) aims the client at an emulator, which takes no credentials.
/// </summary>
public sealed record GcsLocation(string Bucket, string Prefix, string? CredentialsFile, string? Endpoint) : IReplicaLocation
{
    public IReplicaClient CreateClient() => new GcsReplicaClient(this);

    public static GcsLocation From(Uri? url, IReadOnlyDictionary<string, string> options)
    {
        var query = ReplicaUrl.QueryOptions(url);
        string? Option(string name) => options.GetValueOrDefault(name) ?? query.GetValueOrDefault(name);
        var bucket = Option("bucket") ?? url?.Host ?? string.Empty;
        if (bucket.Length == 0)
        {
            throw new ReplicaConfigurationException("gs replica requires a bucket (gs://bucket/path)");
        }
        return new GcsLocation(
            bucket,
            (options.GetValueOrDefault("path") ?? Uri.UnescapeDataString(url?.AbsolutePath ?? string.Empty)).Trim('/'),
            Option("credentials-file"),
            Option("endpoint") ?? Environment.GetEnvironmentVariable("STORAGE_EMULATOR_HOST"));
    }

    public string LevelPrefix(int level) => (Prefix.Length > 0 ? Prefix + "/" : string.Empty) + $"ltx/{level}/";

    public string ObjectName(int level, ulong minTxid, ulong maxTxid) => LevelPrefix(level) + Ltx.LtxFileName.Format(minTxid, maxTxid);
}
