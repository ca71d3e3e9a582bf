namespace LitestreamActors.Actors.Cluster;

/// <summary>
/// The seed nodes a discovered set of nodes joins (docs/cluster.md, "Discovery"): every discovered node's remoting
/// address, lowest first, once at least the required number is seen. Akka's seed-node process then lets the lowest
/// one form the cluster only when no other answers, and every other node join whichever answers.
/// </summary>
public static class SeedNodeChoice
{
    /// <returns>The seed addresses, or null while fewer than <paramref name="required"/> nodes are discovered.</returns>
    public static IReadOnlyList<string>? Choose(IEnumerable<(string Host, int? Port)> discovered, int defaultPort, int required, string systemName)
    {
        var nodes = discovered
            .Select(d => (d.Host, Port: d.Port ?? defaultPort))
            .Distinct()
            .OrderBy(n => n.Host, StringComparer.Ordinal).ThenBy(n => n.Port)
            .ToList();
        return nodes.Count < required ? null : [.. nodes.Select(n => $"akka.tcp://{systemName}@{n.Host}:{n.Port}")];
    }
}
