namespace LitestreamActors.Actors.Status;

/// <summary>One database as the node sees it; <see cref="State"/> is replicating, waiting or stopped.</summary>
public sealed record DatabaseStatus(
    string Path, string State, ulong? Txid, DateTimeOffset? LastSyncAt, string? LastError, IReadOnlyList<ReplicaStatus> Replicas);
