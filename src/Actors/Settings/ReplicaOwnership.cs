namespace LitestreamActors.Actors.Settings;

/// <summary>
/// How a replica target is owned. Alone, a node holds each target's lease and replicates at once (a second process on
/// the same target is a misconfiguration and fails). In a cluster a database starts as a standby and captures only
/// once this node holds every lease of its replicas, so two nodes configured for one target take turns
/// (docs/cluster.md, "One writer per replica").
/// </summary>
public sealed record ReplicaOwnership(bool Clustered, TimeSpan LeaseTimeToLive)
{
    /// <summary>Long-lived: renewals are durable writes, costly across hundreds of replicas (docs/cluster.md, "Standbys").</summary>
    public static ReplicaOwnership Local { get; } = new(false, TimeSpan.FromMinutes(5));

    /// <summary>Short enough that a dead owner's target is taken over well within the resolver's time plus 10 s.</summary>
    public static TimeSpan DefaultClusterLeaseTimeToLive { get; } = TimeSpan.FromSeconds(15);
}
