namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>A backend's lease store, or why it has none (said once in the log rather than pretending to hold a lease).</summary>
public sealed record LeaseSupport(IReplicaLeaseStore? Store, string? Unsupported)
{
    public static LeaseSupport None(string reason) => new(null, reason);
}
