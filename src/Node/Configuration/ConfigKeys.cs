namespace LitestreamActors.Node.Configuration;

/// <summary>
/// Every key a config section may hold. Implemented keys take effect; upstream keys this version does not act on
/// yet draw one warning, unless ignoring them would weaken the backup (those are refused, with the reason); anything
/// else is an error (upstream silently ignores it, which hides typos).
/// </summary>
public sealed record ConfigKeys(string Section, IReadOnlySet<string> Implemented, IReadOnlySet<string> NotYetImplemented)
{
    /// <summary>Keys refused rather than ignored, each with why.</summary>
    public IReadOnlyDictionary<string, string> Refused { get; init; } = new Dictionary<string, string>();

    /// <summary>Replica keys that configure the backend itself and travel to it as options: what some backend's location reads. Declared first: the sets below use it.</summary>
    public static IReadOnlySet<string> BackendOptions { get; } = Set([
        .. Storage.Replica.S3.S3Location.Keys, .. Storage.Replica.Nats.NatsLocation.Keys, .. Storage.Replica.Sftp.SftpLocation.Keys,
        .. Storage.Replica.Azure.AbsLocation.Keys, .. Storage.Replica.WebDav.WebDavLocation.Keys, .. Storage.Replica.Gcs.GcsLocation.Keys]);

    public static ConfigKeys Global { get; } = new(
        "the top level",
        Set("dbs", "standbys", "cluster", "levels", "snapshot", "l0-retention", "l0-retention-check-interval", "retention", "verify", "exec",
            "addr", "socket", "mcp-addr", "mcp", "api-token", "data-dir", "logging"),
        Set(
            "access-key-id", "secret-access-key", "heartbeat-url", "heartbeat-interval", "validation", "verify-compaction",
            "shutdown-sync-timeout", "shutdown-sync-interval"));

    public static ConfigKeys Database { get; } = new(
        "a dbs entry",
        Set("path", "dir", "pattern", "recursive", "watch", "meta-path", "meta-dir", "monitor-interval", "checkpoint-interval",
            "min-checkpoint-page-count", "truncate-page-n", "busy-timeout", "replica", "replicas", "max-local-ltx-bytes", "restore-if-db-not-exists"),
        Set("max-checkpoint-page-count", "max-sync-wal-bytes"));

    public static ConfigKeys Replica { get; } = new(
        "a replica",
        Set(["type", "name", "url", "path", "sync-interval", "retention", "snapshot-interval", .. BackendOptions]),
        Set("retention-check-interval", "validation-interval", "host", "concurrent-writes"))
    {
        Refused = new Dictionary<string, string>
        {
            ["age"] = "age encryption is not implemented yet, and ignoring it would write the backup in plaintext: remove age: to replicate unencrypted",
        },
    };

    /// <summary>The known key nearest to a misspelt one, if it is close enough to be a likely typo.</summary>
    public string? Suggest(string key)
    {
        var best = Implemented.Concat(NotYetImplemented).Concat(Refused.Keys).MinBy(k => Distance(k, key));
        return best is not null && Distance(best, key) <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static IReadOnlySet<string> Set(params string[] keys) => keys.ToHashSet(StringComparer.Ordinal);

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
