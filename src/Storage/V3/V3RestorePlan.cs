namespace LitestreamActors.Storage.V3;

/// <summary>A 0.3 restore: one snapshot, then that generation's WAL segments from the snapshot's index on, in order.</summary>
public sealed record V3RestorePlan(V3Snapshot Snapshot, IReadOnlyList<V3WalSegment> Segments)
{
    /// <summary>When the newest file applied was written: what the restored state corresponds to.</summary>
    public DateTimeOffset CreatedAt => Segments.Count > 0 ? Segments.Max(s => s.CreatedAt) : Snapshot.CreatedAt;
}
