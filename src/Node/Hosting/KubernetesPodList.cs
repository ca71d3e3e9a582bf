using System.Net;
using System.Text.Json;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// The contact points in the API server's answer to a pod list (docs/cluster.md, "Discovery"): the pods that are Running,
/// not being deleted, have an IP and are Ready. Read from the JSON itself, the few fields it needs, rather than into the
/// Kubernetes client's models, which are deserialized by reflection.
/// </summary>
public static class KubernetesPodList
{
    /// <summary>The ready pods' addresses, and how many pods the list held.</summary>
    public static (IReadOnlyList<IPAddress> Ready, int Pods) ContactPoints(JsonElement podList)
    {
        var items = podList.ValueKind == JsonValueKind.Object && podList.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().ToList()
            : [];
        return (items.Select(ContactPoint).OfType<IPAddress>().ToList(), items.Count);
    }

    private static IPAddress? ContactPoint(JsonElement pod)
    {
        if (pod.ValueKind != JsonValueKind.Object
            || (pod.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("deletionTimestamp", out var deleting) && deleting.ValueKind != JsonValueKind.Null))
        {
            return null;
        }
        if (!pod.TryGetProperty("status", out var status)
            || !string.Equals(Text(status, "phase"), "Running", StringComparison.OrdinalIgnoreCase)
            || !IPAddress.TryParse(Text(status, "podIP"), out var ip))
        {
            return null;
        }
        var ready = status.TryGetProperty("conditions", out var conditions) && conditions.ValueKind == JsonValueKind.Array
            && conditions.EnumerateArray().Any(c => Text(c, "type") == "Ready" && Text(c, "status") == "True");
        return ready ? ip : null;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
