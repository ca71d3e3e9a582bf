namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// A replica's <c>lock.json</c> on a backend with conditional writes. Create succeeds only where none exists; replace
/// only while the stored version is the one given. A lost race returns null, never overwrites.
/// </summary>
public interface IReplicaLeaseStore
{
    Task<LeaseState?> ReadAsync(CancellationToken cancellationToken);

    /// <returns>The new version, or null when a lease already exists.</returns>
    Task<string?> TryCreateAsync(LeaseRecord record, CancellationToken cancellationToken);

    /// <returns>The new version, or null when the stored lease is no longer <paramref name="version"/>.</returns>
    Task<string?> TryReplaceAsync(LeaseRecord record, string version, CancellationToken cancellationToken);
}
