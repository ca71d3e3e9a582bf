using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Replica.Lease;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// A node restarted after a crash in a container has the host name and process id of the run that crashed: that run's
/// lease does not look gone, but the database's local state lock proves it is (docs/cluster.md, "Standbys").
/// </summary>
public sealed class FormerSelfLeaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_lease_of_the_run_that_held_the_local_lock_before_is_taken_at_once_and_no_other()
    {
        var store = (await new FileReplicaClient(_dir.File("replica")).LeaseAsync(CancellationToken.None)).Store!;
        // The crashed run: same host, same process id (ours, so it cannot look gone), another nonce; never released.
        var crashed = $"{Environment.MachineName}:{Environment.ProcessId}:0000dead";
        Assert.Null(await Lease(store, crashed).TryAcquireAsync(CancellationToken.None));

        Assert.Equal(crashed, (await Lease(store, "other-owner").TryAcquireAsync(CancellationToken.None))?.Owner);
        Assert.Equal(crashed, (await Lease(store, "restarted", formerSelf: "someone-else").TryAcquireAsync(CancellationToken.None))?.Owner);
        var restarted = Lease(store, "restarted", formerSelf: crashed);
        Assert.Null(await restarted.TryAcquireAsync(CancellationToken.None));
        Assert.Equal(2L, restarted.Generation);
        Assert.Equal("restarted", (await Lease(store, "third", formerSelf: crashed).TryAcquireAsync(CancellationToken.None))?.Owner);
    }

    [Fact]
    public void The_local_lock_names_the_lease_owner_that_held_it_before_this_process()
    {
        var meta = _dir.File(".app.db-litestream");
        Directory.CreateDirectory(meta);
        File.WriteAllText(Path.Combine(meta, "lock.owner"), "process 1 (box) as lease owner box:1:0000dead");
        using (LocalStateLock.Acquire(meta, _dir.File("app.db")))
        {
            Assert.Equal("box:1:0000dead", LocalStateLock.FormerHolder(meta + "/"));
            Assert.EndsWith(" as lease owner " + LeaseOwner.ThisProcess, File.ReadAllText(Path.Combine(meta, "lock.owner")), StringComparison.Ordinal);
            var refused = Assert.Throws<StorageException>(() => LocalStateLock.Acquire(meta, _dir.File("app.db")));
            Assert.Contains($"already replicated by process {Environment.ProcessId} ({Environment.MachineName}) on this machine", refused.Message, StringComparison.Ordinal);
        }
        Assert.Null(LocalStateLock.FormerHolder(meta));
        // Our own run before (this process) is not a former self, nor is a lock file written before owners were recorded.
        using (LocalStateLock.Acquire(meta, _dir.File("app.db")))
        {
            Assert.Null(LocalStateLock.FormerHolder(meta));
        }
        File.WriteAllText(Path.Combine(meta, "lock.owner"), "process 1 (box)");
        using (LocalStateLock.Acquire(meta, _dir.File("app.db")))
        {
            Assert.Null(LocalStateLock.FormerHolder(meta));
        }
    }

    public void Dispose() => _dir.Dispose();

    private ReplicaLease Lease(IReplicaLeaseStore store, string owner, string? formerSelf = null) =>
        new(store, owner, null, TimeSpan.FromMinutes(5), _clock, new LeaseFence(_clock)) { FormerSelf = formerSelf };
}
