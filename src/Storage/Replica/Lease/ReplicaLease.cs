namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// One writer's hold on a replica's lease: acquire when none exists, the holder's has expired, or its process is gone
/// from this machine (at the next generation), renew before expiry, release on shutdown by expiring the record (its generation stays, so the next
/// holder's is higher). Every step is a conditional write, so two processes never both believe they hold it; the
/// <see cref="LeaseFence"/> says until when, by the monotonic clock, writes may go out.
/// </summary>
/// <param name="database">This database as a promotion names it (node and path); with <paramref name="claim"/>, a
/// promoted standby taking the replica: its acquisition records it as the one database that may write from now on.</param>
public sealed class ReplicaLease(
    IReplicaLeaseStore store, string owner, string? node, TimeSpan timeToLive, TimeProvider time, LeaseFence fence, string? database = null, bool claim = false)
{
    private string? _version;
    private long _generation;
    private string? _promotedTo;

    /// <summary>
    /// The owner that held this database's local state lock before this process: it no longer runs, whatever its
    /// process id says (a container restarted after a crash is process 1 on the same host again), so its lease is not
    /// waited out (docs/cluster.md, "Standbys").
    /// </summary>
    public string? FormerSelf { get; init; }

    public bool Held => _version is not null;

    public LeaseFence Fence => fence;

    public long Generation => _generation;

    /// <returns>Null when acquired; otherwise the lease another owner holds.</returns>
    /// <exception cref="ReplicaDemotedException">A standby was promoted to another database: this one must not write.</exception>
    public async Task<LeaseRecord?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var current = await store.ReadAsync(cancellationToken);
        if (!claim && current?.Record.PromotedTo is { } promoted && promoted != database)
        {
            throw new ReplicaDemotedException(promoted, current.Record.Generation);
        }
        if (current is not null && current.Record.Owner != owner && current.Record.ExpiresAt > time.GetUtcNow()
            && !LeaseOwner.IsGoneFromThisMachine(current.Record.Owner) && current.Record.Owner != FormerSelf)
        {
            return current.Record;
        }
        var generation = (current?.Record.Generation ?? 0) + 1;
        var start = Fence.Now();
        _promotedTo = claim ? database : current?.Record.PromotedTo;
        var mine = Record(generation);
        _version = current is null
            ? await store.TryCreateAsync(mine, cancellationToken)
            : await store.TryReplaceAsync(mine, current.Version, cancellationToken);
        if (_version is null)
        {
            return (await store.ReadAsync(cancellationToken))?.Record ?? current?.Record ?? mine;
        }
        _generation = generation;
        Fence.HeldFrom(start, timeToLive, generation);
        return null;
    }

    /// <returns>False when the lease was lost (taken over after expiry): writing must stop.</returns>
    public async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        if (_version is null)
        {
            return false;
        }
        var start = Fence.Now();
        _version = await store.TryReplaceAsync(Record(_generation), _version, cancellationToken);
        if (_version is null)
        {
            Fence.Close();
            return false;
        }
        Fence.HeldFrom(start, timeToLive, _generation);
        return true;
    }

    /// <summary>
    /// Lets the lease go to a promoted standby: expired, and naming <paramref name="promotedTo"/> as the one database
    /// that may take it, so no other (this one included) writes the replica again.
    /// </summary>
    public async Task<bool> HandOverAsync(string promotedTo, CancellationToken cancellationToken)
    {
        Fence.Close();
        if (_version is not { } version)
        {
            return false;
        }
        _version = null;
        _promotedTo = promotedTo;
        return await store.TryReplaceAsync(new LeaseRecord(owner, time.GetUtcNow()) { Generation = _generation, Node = node, PromotedTo = promotedTo }, version, cancellationToken) is not null;
    }

    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        Fence.Close();
        if (_version is { } version)
        {
            _version = null;
            await store.TryReplaceAsync(new LeaseRecord(owner, time.GetUtcNow()) { Generation = _generation, Node = node, PromotedTo = _promotedTo }, version, cancellationToken);
        }
    }

    private LeaseRecord Record(long generation) => new(owner, time.GetUtcNow() + timeToLive) { Generation = generation, Node = node, PromotedTo = _promotedTo };
}
