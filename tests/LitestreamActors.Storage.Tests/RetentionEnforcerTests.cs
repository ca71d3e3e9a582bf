using LitestreamActors.Storage.Compaction;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>Level retention deletes only what leaves every remaining file reachable by a restore.</summary>
public sealed class RetentionEnforcerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Old_covered_files_go_only_through_the_end_of_a_covering_file()
    {
        var client = new FileReplicaClient(_dir.File("replica"));
        var clock = new ManualTimeProvider(Start);
        // Level 1 in tens; level 2 merged 1-20 and 21-40. 1-10, 11-20 and 21-30 are old, 31-40 and 41-50 recent.
        foreach (var (min, max, minutes) in new[] { (1UL, 10UL, 0), (11UL, 20UL, 10), (21UL, 30UL, 20), (31UL, 40UL, 100), (41UL, 50UL, 110) })
        {
            await Write(client, 1, min, max, Start.AddMinutes(minutes));
        }
        await Write(client, 2, 1, 20, Start.AddMinutes(10));
        await Write(client, 2, 21, 40, Start.AddMinutes(100));
        clock.Advance(TimeSpan.FromMinutes(120));

        var (deleted, _) = await new RetentionEnforcer(client, clock).EnforceLevelRetentionAsync(1, TimeSpan.FromHours(1), [2], [2, 9], CancellationToken.None);

        // 21-30 is old and covered, but deleting it would leave 31-40 after a hole level 2 does not end at.
        Assert.Equal([(1UL, 10UL), (11UL, 20UL)], deleted.Select(f => (f.MinTxid, f.MaxTxid)));
        Assert.Equal([(21UL, 30UL), (31UL, 40UL), (41UL, 50UL)], (await client.ListAsync(1, CancellationToken.None)).Select(f => (f.MinTxid, f.MaxTxid)));
    }

    public void Dispose() => _dir.Dispose();

    private static async Task Write(FileReplicaClient client, int level, ulong min, ulong max, DateTimeOffset at)
    {
        using var content = new MemoryStream([1, 2, 3]);
        await client.WriteAsync(level, min, max, content, at, CancellationToken.None);
    }
}
