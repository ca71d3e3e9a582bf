namespace LitestreamActors.Storage.V3;

/// <summary>0.3's restore targets: the latest state, a moment, and (0.3's flags) a generation and a last WAL index.</summary>
public sealed record V3RestoreTarget(DateTimeOffset? Timestamp, string? Generation = null, uint? Index = null);
