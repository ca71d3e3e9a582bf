using System.Globalization;
using System.Text.RegularExpressions;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.V3;

/// <summary>
/// What a replica holds in Litestream 0.3's layout (docs/formats.md §5.1): snapshots and WAL segments per generation,
/// read from one listing of <c>generations/</c>. Anything else there is ignored.
/// </summary>
public sealed partial class V3Backup
{
    private V3Backup(IReadOnlyList<V3Snapshot> snapshots, IReadOnlyList<V3WalSegment> segments)
    {
        Snapshots = snapshots;
        Segments = segments;
    }

    /// <summary>Ordered by generation, then index.</summary>
    public IReadOnlyList<V3Snapshot> Snapshots { get; }

    /// <summary>Ordered by generation, index, then offset.</summary>
    public IReadOnlyList<V3WalSegment> Segments { get; }

    public bool IsEmpty => Snapshots.Count == 0 && Segments.Count == 0;

    public IEnumerable<string> Generations => Snapshots.Select(s => s.Generation).Concat(Segments.Select(s => s.Generation)).Distinct().Order(StringComparer.Ordinal);

    public static async Task<V3Backup> ListAsync(IReplicaClient client, CancellationToken cancellationToken)
    {
        var snapshots = new List<V3Snapshot>();
        var segments = new List<V3WalSegment>();
        foreach (var item in await client.ListObjectsAsync("generations", cancellationToken))
        {
            if (SnapshotName().Match(item.Path) is { Success: true } s)
            {
                snapshots.Add(new V3Snapshot(s.Groups[1].Value, Hex(s.Groups[2].Value), item.Path, item.Size, item.LastModified));
            }
            else if (SegmentName().Match(item.Path) is { Success: true } w)
            {
                segments.Add(new V3WalSegment(w.Groups[1].Value, Hex(w.Groups[2].Value), (long)ulong.Parse(w.Groups[3].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    item.Path, item.Size, item.LastModified));
            }
        }
        return new V3Backup(
            snapshots.OrderBy(s => s.Generation, StringComparer.Ordinal).ThenBy(s => s.Index).ToList(),
            segments.OrderBy(s => s.Generation, StringComparer.Ordinal).ThenBy(s => s.Index).ThenBy(s => s.Offset).ToList());
    }

    private static uint Hex(string text) => uint.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [GeneratedRegex("(?:^|/)generations/([0-9a-f]{16})/snapshots/([0-9a-f]{8})\\.snapshot\\.lz4$")]
    private static partial Regex SnapshotName();

    [GeneratedRegex("(?:^|/)generations/([0-9a-f]{16})/wal/([0-9a-f]{8})_([0-9a-f]{8,16})\\.wal\\.lz4$")]
    private static partial Regex SegmentName();
}
