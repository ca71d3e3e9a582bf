using System.Text.Json;

namespace LitestreamActors.Actors.Cluster;

/// <summary>
/// Which catalog entries go when a member is removed: its node entry and its rows, unless the node entry says they
/// were written by another incarnation at the same address (a node restarted there, whose rows reached this node
/// before it saw the new member; docs/cluster.md, "Catalog"). A node entry without an incarnation (a node of an earlier
/// version) is taken as the removed member's.
/// </summary>
public static class CatalogRemoval
{
    public static IReadOnlyList<string> KeysOf(IReadOnlyDictionary<string, string> entries, string node, long uid)
    {
        var nodeKey = CatalogActor.NodePrefix + node;
        if (entries.TryGetValue(nodeKey, out var entry) && JsonSerializer.Deserialize(entry, CatalogJson.Default.NodeRow) is { Uid: not 0 } row && row.Uid != uid)
        {
            return [];
        }
        return [.. entries.Keys.Where(k => k == nodeKey || k.StartsWith(node + "|", StringComparison.Ordinal))];
    }
}
