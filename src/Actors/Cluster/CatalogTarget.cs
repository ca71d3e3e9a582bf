namespace LitestreamActors.Actors.Cluster;

/// <summary>A database found in the catalog: the node writing its replicas, its path, and the replica asked for (null: the first).</summary>
public sealed record CatalogTarget(string Owner, string Database, string? Replica);
