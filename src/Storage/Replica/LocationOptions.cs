namespace LitestreamActors.Storage.Replica;

/// <summary>
/// A replica location's options: its config keys, which win, then its URL's query (where upstream also reads
/// camelCase spellings such as <c>forcePathStyle</c>). A location reads only the keys it declares, so the config's
/// backend keys are exactly the union of what the locations read (ConfigKeys takes them from here).
/// </summary>
public sealed class LocationOptions(string backend, IReadOnlySet<string> keys, Uri? url, IReadOnlyDictionary<string, string> config)
{
    private readonly IReadOnlyDictionary<string, string> _query = ReplicaUrl.QueryOptions(url);

    /// <summary>The replica's <c>path</c> from its config (a folder within the bucket or server), if given.</summary>
    public string? Path => config.GetValueOrDefault("path");

    /// <summary>A declared key from the config, else from the URL query by that name or <paramref name="queryAlias"/>.</summary>
    public string? Get(string key, string? queryAlias = null)
    {
        if (!keys.Contains(key))
        {
            throw new InvalidOperationException($"the {backend} location reads \"{key}\" without declaring it");
        }
        return config.GetValueOrDefault(key)
            ?? _query.GetValueOrDefault(key)
            ?? (queryAlias is null ? null : _query.GetValueOrDefault(queryAlias));
    }

    /// <summary>True for <c>true</c> (any case) or <c>1</c>; <paramref name="absent"/> when the key is not set.</summary>
    public bool Flag(string key, string? queryAlias = null, bool absent = false) => Get(key, queryAlias) switch
    {
        null => absent,
        var value => value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase),
    };

    public TimeSpan? Duration(string key) => Get(key) switch
    {
        null => null,
        var text when Text.GoDuration.TryParse(text, out var value) && value >= TimeSpan.Zero => value,
        var text => throw Invalid(key, text, "a duration such as 2s or 1m"),
    };

    public ReplicaConfigurationException Invalid(string key, string value, string expected) =>
        new($"{backend} replica: {key} must be {expected}: {value}");

    public static IReadOnlySet<string> Keys(params string[] keys) => keys.ToHashSet(StringComparer.Ordinal);
}
