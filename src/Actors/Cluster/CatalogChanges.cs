namespace LitestreamActors.Actors.Cluster;

/// <summary>What a node must write to the catalog to make its rows there equal its current ones.</summary>
public sealed record CatalogChanges(IReadOnlyList<CatalogRow> Set, IReadOnlyList<string> Removed)
{
    public bool IsEmpty => Set.Count == 0 && Removed.Count == 0;

    public static CatalogChanges Between(IReadOnlyDictionary<string, CatalogRow> published, IReadOnlyCollection<CatalogRow> current)
    {
        var keys = current.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        return new CatalogChanges(
            [.. current.Where(r => !published.TryGetValue(r.Key, out var before) || before != r)],
            [.. published.Keys.Where(k => !keys.Contains(k)).Order(StringComparer.Ordinal)]);
    }
}
