namespace LitestreamActors.Actors.Cluster;

/// <summary>
/// Finds the node that writes a database's replica from the catalog, for a request made to any node
/// (docs/cluster.md, "Restore against the cluster"). The database is named by its path as the catalog shows it, or as
/// <c>NODE:PATH</c> (NODE a member's <c>host:port</c> or full address) when several nodes hold that path.
/// </summary>
public static class CatalogLookup
{
    /// <exception cref="CatalogLookupException">No such database, several, or none owned now.</exception>
    public static CatalogTarget Find(IEnumerable<CatalogRow> rows, string argument, string? replica)
    {
        var (node, path) = Split(argument);
        var candidates = rows.Where(r => r.Database == path && (node is null || SameNode(r.Node, node))).ToList();
        if (candidates.Count == 0)
        {
            throw new CatalogLookupException(true, $"database {argument} is not in the cluster's catalog");
        }
        if (replica is not null)
        {
            candidates = [.. candidates.Where(r => r.Replica == replica)];
            if (candidates.Count == 0)
            {
                throw new CatalogLookupException(true, $"database {argument} has no replica named {replica} in the cluster's catalog");
            }
        }
        // A standby that does not know its owner yet names itself: it owns nothing.
        var owners = candidates.Where(r => !(r.State == CatalogRow.Standby && r.Owner == r.Node)).Select(r => r.Owner)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return owners.Count switch
        {
            0 => throw new CatalogLookupException(false, $"no node owns {argument} now: every node holding it is a standby"),
            1 => new CatalogTarget(owners[0], path, replica),
            _ => throw new CatalogLookupException(false, $"database {path} is on several nodes ({string.Join(", ", owners)}): name one as NODE:PATH"),
        };
    }

    /// <summary>NODE:PATH split at the colon before the absolute path (skipping a scheme's <c>://</c>); a bare path has no node.</summary>
    public static (string? Node, string Path) Split(string argument)
    {
        if (argument.StartsWith('/'))
        {
            return (null, argument);
        }
        for (var i = argument.IndexOf(":/", StringComparison.Ordinal); i > 0; i = argument.IndexOf(":/", i + 1, StringComparison.Ordinal))
        {
            if (i + 2 < argument.Length && argument[i + 2] != '/')
            {
                return (argument[..i], argument[(i + 1)..]);
            }
        }
        return (null, argument);
    }

    private static bool SameNode(string address, string node) =>
        address == node || address.TrimEnd('/') == node.TrimEnd('/') || address.EndsWith("@" + node, StringComparison.Ordinal);
}
