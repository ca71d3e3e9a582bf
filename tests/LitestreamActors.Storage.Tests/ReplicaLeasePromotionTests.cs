using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Replica.Lease;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// A promoted standby's claim on a replica's lease (docs/cluster.md, "Warm standbys"): once a database is named in
/// lock.json as promoted, only it acquires the lease; every other database, the old owner first, is demoted.
/// </summary>
public sealed class ReplicaLeasePromotionTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_handed_over_lease_goes_only_to_the_promoted_database()
    {
        var store = await Store();
        var owner = Lease(store, "node1 /data/app.db", claim: false);
        Assert.Null(await owner.TryAcquireAsync(CancellationToken.None));

        Assert.True(await owner.HandOverAsync("node2 /data/standby.db", CancellationToken.None));
        Assert.False(owner.Fence.IsOpen);
        var demoted = await Assert.ThrowsAsync<ReplicaDemotedException>(() => owner.TryAcquireAsync(CancellationToken.None));
        Assert.Equal("node2 /data/standby.db", demoted.PromotedTo);
        await Assert.ThrowsAsync<ReplicaDemotedException>(() => Lease(store, "node3 /data/other.db", claim: false).TryAcquireAsync(CancellationToken.None));

        // The promoted database takes it at once (the record expired at the hand-over), at the next generation, and keeps the claim.
        var promoted = Lease(store, "node2 /data/standby.db", claim: true);
        Assert.Null(await promoted.TryAcquireAsync(CancellationToken.None));
        Assert.Equal(2L, promoted.Generation);
        Assert.True(await promoted.RenewAsync(CancellationToken.None));
        await promoted.ReleaseAsync(CancellationToken.None);
        // Restarted, it needs no claim: the record names it.
        Assert.Null(await Lease(store, "node2 /data/standby.db", claim: false).TryAcquireAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_waits_out_a_live_holder_then_demotes_it()
    {
        var store = await Store();
        var owner = Lease(store, "node1 /data/app.db", claim: false);
        Assert.Null(await owner.TryAcquireAsync(CancellationToken.None));
        var promoted = Lease(store, "node2 /data/standby.db", claim: true);
        Assert.Equal("host-node1 /data/app.db", (await promoted.TryAcquireAsync(CancellationToken.None))?.Owner);

        _clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(await promoted.TryAcquireAsync(CancellationToken.None));
        Assert.False(await owner.RenewAsync(CancellationToken.None));
        await Assert.ThrowsAsync<ReplicaDemotedException>(() => owner.TryAcquireAsync(CancellationToken.None));
    }

    public void Dispose() => _dir.Dispose();

    private async Task<IReplicaLeaseStore> Store() =>
        (await new FileReplicaClient(_dir.File("replica")).LeaseAsync(CancellationToken.None)).Store!;

    // Owners named after the database, so a holder is recognisable in the assertions.
    private ReplicaLease Lease(IReplicaLeaseStore store, string database, bool claim) =>
        new(store, "host-" + database, null, TimeSpan.FromSeconds(30), _clock, new LeaseFence(_clock), database, claim);
}
