namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// One writer's hold on a replica's lease: acquire when none exists or the holder's has expired, renew before expiry,
/// release on shutdown. Every step is a conditional write, so two processes never both believe they hold it.
/// </summary>
public sealed class ReplicaLease(IReplicaLeaseStore store, string owner, TimeSpan timeToLive, TimeProvider time)
{
    private string? _version;

    public bool Held => _version is not null;

    /// <returns>Null when acquired; otherwise the lease another owner holds.</returns>
    public async Task<LeaseRecord?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var mine = new LeaseRecord(owner, time.GetUtcNow() + timeToLive);
        var current = await store.ReadAsync(cancellationToken);
        if (current is null)
        {
            _version = await store.TryCreateAsync(mine, cancellationToken);
            return _version is null ? (await store.ReadAsync(cancellationToken))?.Record ?? mine : null;
        }
        if (current.Record.Owner != owner && current.Record.ExpiresAt > time.GetUtcNow())
        {
            return current.Record;
        }
        _version = await store.TryReplaceAsync(mine, current.Version, cancellationToken);
        return _version is null ? (await store.ReadAsync(cancellationToken))?.Record ?? current.Record : null;
    }

    /// <returns>False when the lease was lost (taken over after expiry): writing must stop.</returns>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        if (_version is null)
        {
            return false;
        }
        _version = await store.TryReplaceAsync(new LeaseRecord(owner, time.GetUtcNow() + timeToLive), _version, cancellationToken);
        return _version is not null;
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (_version is { } version)
        {
            _version = null;
            await store.ReleaseAsync(version, cancellationToken);
        }
    }
}
