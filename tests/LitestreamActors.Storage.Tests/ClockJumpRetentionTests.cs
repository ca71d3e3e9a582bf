using LitestreamActors.Storage.Compaction;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Restore;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// Retention under a clock that jumps (through the TimeProvider retention runs on): a day forward deletes only what a
/// newer kept file covers, so the newest snapshot and every TXID after it still restore; an hour back stamps newer files
/// with older times, and no newer snapshot goes while an older one stays.
/// </summary>
public sealed class ClockJumpRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_day_forward_keeps_the_newest_snapshot_and_every_txid_after_it_restorable()
    {
        var client = new FileReplicaClient(_dir.File("replica"));
        var clock = new ManualTimeProvider(Start);
        // Ten minutes of history: L0 per TXID, L1 per five, L2 per ten, snapshots at 10, 20 and 30.
        for (var txid = 1UL; txid <= 35; txid++)
        {
            await Write(client, 0, txid, txid, Start.AddSeconds(txid * 15));
            if (txid % 5 == 0)
            {
                await Write(client, 1, txid - 4, txid, Start.AddSeconds(txid * 15));
            }
            if (txid % 10 == 0)
            {
                await Write(client, 2, txid - 9, txid, Start.AddSeconds(txid * 15));
                await Write(client, LtxFileInfo.SnapshotLevel, 1, txid, Start.AddSeconds(txid * 15));
            }
        }
        clock.Advance(TimeSpan.FromDays(1));
        var retention = new RetentionEnforcer(client, clock);

        await retention.EnforceSnapshotRetentionAsync(TimeSpan.FromHours(1), CancellationToken.None);
        foreach (var (level, covering) in new[] { (0, 1), (1, 2) })
        {
            await retention.EnforceLevelRetentionAsync(level, TimeSpan.FromMinutes(5), [covering], [.. Enumerable.Range(level + 1, 9 - level)], CancellationToken.None);
        }

        Assert.Equal([(1UL, 30UL)], (await client.ListAsync(LtxFileInfo.SnapshotLevel, CancellationToken.None)).Select(f => (f.MinTxid, f.MaxTxid)));
        Assert.Equal(35UL, (await RestorePlanner.PlanAsync(client, RestoreTarget.Latest, CancellationToken.None)).MaxTxid);
        for (var txid = 30UL; txid <= 35; txid++)
        {
            Assert.Equal(txid, (await RestorePlanner.PlanAsync(client, new RestoreTarget(txid, null), CancellationToken.None)).MaxTxid);
        }
    }

    [Fact]
    public async Task An_hour_back_never_deletes_a_newer_snapshot_while_an_older_one_stays()
    {
        var client = new FileReplicaClient(_dir.File("replica"));
        var clock = new ManualTimeProvider(Start.AddMinutes(90));
        // Snapshots 1-10 and 1-20 at 0 and 60 minutes; the clock then went back an hour, so 1-30 is stamped 10 minutes.
        await Write(client, LtxFileInfo.SnapshotLevel, 1, 10, Start);
        await Write(client, LtxFileInfo.SnapshotLevel, 1, 20, Start.AddMinutes(60));
        await Write(client, LtxFileInfo.SnapshotLevel, 1, 30, Start.AddMinutes(10));
        await Write(client, LtxFileInfo.SnapshotLevel, 1, 40, Start.AddMinutes(70));

        var deleted = await new RetentionEnforcer(client, clock).EnforceSnapshotRetentionAsync(TimeSpan.FromMinutes(45), CancellationToken.None);

        Assert.Equal([(1UL, 10UL)], deleted.Select(f => (f.MinTxid, f.MaxTxid)));
        Assert.Equal([20UL, 30UL, 40UL], (await client.ListAsync(LtxFileInfo.SnapshotLevel, CancellationToken.None)).Select(f => f.MaxTxid));
    }

    public void Dispose() => _dir.Dispose();

    private static async Task Write(FileReplicaClient client, int level, ulong min, ulong max, DateTimeOffset at)
    {
        using var content = new MemoryStream([1, 2, 3]);
        await client.WriteAsync(level, min, max, content, at, CancellationToken.None);
    }
}
