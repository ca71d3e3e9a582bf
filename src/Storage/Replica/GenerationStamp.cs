using System.Globalization;

namespace LitestreamActors.Storage.Replica;

/// <summary>The lease generation a client stamps on the files it writes, beside their timestamp (docs/cluster.md).</summary>
public sealed class GenerationStamp
{
    private long _generation;

    public long Current => Interlocked.Read(ref _generation);

    public void Set(long generation) => Interlocked.Exchange(ref _generation, generation);

    /// <summary>A file's metadata: its LTX timestamp and, once a lease is held, the generation it was written under.</summary>
    public Dictionary<string, string> Metadata(string timestampKey, string generationKey, DateTimeOffset createdAt)
    {
        var metadata = new Dictionary<string, string> { [timestampKey] = ReplicaTimestamp.Format(createdAt) };
        if (Current is var generation and > 0)
        {
            metadata[generationKey] = generation.ToString(CultureInfo.InvariantCulture);
        }
        return metadata;
    }
}
