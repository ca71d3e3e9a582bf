namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>A standby was promoted to <see cref="PromotedTo"/>: this database no longer writes the replica.</summary>
public sealed class ReplicaDemotedException(string promotedTo, long generation)
    : StorageException($"demoted: a standby was promoted to {promotedTo} (lease generation {generation}); this database uploads nothing to the replica. "
        + "To follow the new database here instead, move this file away and list its path under standbys:")
{
    public string PromotedTo { get; } = promotedTo;
}
