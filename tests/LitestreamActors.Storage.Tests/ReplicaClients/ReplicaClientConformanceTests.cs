using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Lease;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>The behaviour every replica backend must share; one subclass per backend, each against a real server.</summary>
public abstract class ReplicaClientConformanceTests
{
    protected static readonly DateTimeOffset Time = new(2026, 11, 25, 21, 41, 26, 857, TimeSpan.Zero);

    /// <summary>A client for an empty, private location.</summary>
    protected abstract IReplicaClient NewClient();

    [Fact]
    public async Task Written_files_list_by_level_in_txid_order_and_read_back_whole_and_by_range()
    {
        await using var client = NewClient();
        var files = new Dictionary<(int, ulong), byte[]>();
        foreach (var (level, min, max) in new[] { (0, 3UL, 3UL), (0, 1UL, 1UL), (0, 2UL, 2UL), (1, 1UL, 3UL), (9, 1UL, 3UL) })
        {
            var bytes = LtxFiles.Encode(1024, 3, min, max, Enumerable.Range((int)min == 1 ? 1 : 2, (int)min == 1 ? 3 : 1).Select(p => ((uint)p, LtxFiles.Page(1024, p))));
            files[(level, min)] = bytes;
            await client.WriteAsync(level, min, max, new MemoryStream(bytes), Time, CancellationToken.None);
        }

        var l0 = await client.ListAsync(0, CancellationToken.None);
        Assert.Equal([1UL, 2UL, 3UL], l0.Select(f => f.MinTxid));
        Assert.All(l0, f => Assert.Equal(files[(0, f.MinTxid)].Length, f.Size));
        Assert.Equal([(1UL, 3UL)], (await client.ListAsync(1, CancellationToken.None)).Select(f => (f.MinTxid, f.MaxTxid)));
        Assert.Single(await client.ListAsync(9, CancellationToken.None));
        Assert.Empty(await client.ListAsync(2, CancellationToken.None));

        var whole = files[(1, 1)];
        Assert.Equal(whole, await Read(client, 1, 1, 3, 0, null));
        Assert.Equal(whole[100..150], await Read(client, 1, 1, 3, 100, 50));
        Assert.Equal(whole[^24..], await Read(client, 1, 1, 3, whole.Length - 24, null));
    }

    /// <summary>Why the backend or its test server cannot hold a lease (the client must say so); null when it can.</summary>
    protected virtual string? LeaseUnsupportedBecause => null;

    [Fact]
    public async Task Two_owners_never_both_hold_the_lease_and_an_expired_one_is_taken_over()
    {
        var support = await NewClient().LeaseAsync(CancellationToken.None);
        if (LeaseUnsupportedBecause is { } reason)
        {
            Assert.Null(support.Store);
            Assert.Contains(reason, support.Unsupported, StringComparison.Ordinal);
            return;
        }
        var store = support.Store!;
        var clock = new ManualTimeProvider(Time);
        ReplicaLease Lease(string owner) => new(store, owner, "akka.tcp://litestream@" + owner, TimeSpan.FromSeconds(30), clock, new LeaseFence(clock));
        var a = Lease("host-a:1");
        var b = Lease("host-b:2");

        Assert.False(a.Fence.IsOpen);
        Assert.Null(await a.TryAcquireAsync(CancellationToken.None));
        Assert.Equal((1L, true), (a.Generation, a.Fence.IsOpen));
        var held = await b.TryAcquireAsync(CancellationToken.None);
        Assert.Equal(("host-a:1", 1L, "akka.tcp://litestream@host-a:1"), (held?.Owner, held?.Generation, held?.Node));
        Assert.False(b.Fence.IsOpen);
        Assert.True(await a.RenewAsync(CancellationToken.None));

        // Past the holder's own deadline (less its margin) it writes nothing, though the stored lease has not run out.
        clock.Advance(TimeSpan.FromSeconds(28));
        Assert.False(a.Fence.IsOpen);
        Assert.Throws<LeaseExpiredException>(() => a.Fence.Check("a file"));
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Null(await b.TryAcquireAsync(CancellationToken.None));
        Assert.Equal(2L, b.Generation);
        Assert.False(await a.RenewAsync(CancellationToken.None));
        Assert.Equal("host-b:2", (await a.TryAcquireAsync(CancellationToken.None))?.Owner);

        // Released, the record expires but keeps its generation: the next holder's is higher.
        await b.ReleaseAsync(CancellationToken.None);
        Assert.False(b.Fence.IsOpen);
        var racers = Enumerable.Range(0, 4).Select(i => Lease($"racer-{i}")).ToList();
        var outcomes = await Task.WhenAll(racers.Select(r => r.TryAcquireAsync(CancellationToken.None)));
        Assert.Single(outcomes, o => o is null);
        Assert.Equal(3L, Assert.Single(racers, r => r.Held).Generation);
    }

    /// <summary>The backends Litestream 0.3 backups are read from list and open objects by relative path.</summary>
    protected virtual bool ReadsLitestream03Backups => true;

    [Fact]
    public async Task Objects_list_and_open_by_their_path_under_the_replica_for_litestream_0_3_backups()
    {
        await using var client = NewClient();
        var bytes = LtxFiles.Encode(1024, 1, 7, 7, [(1, LtxFiles.Page(1024, 1))]);
        await client.WriteAsync(0, 7, 7, new MemoryStream(bytes), Time, CancellationToken.None);
        if (!ReadsLitestream03Backups)
        {
            var e = await Assert.ThrowsAsync<StorageException>(() => client.ListObjectsAsync("generations", CancellationToken.None));
            Assert.Contains("reading Litestream 0.3 backups from the " + client.Type + " backend is not supported yet", e.Message, StringComparison.Ordinal);
            return;
        }
        Assert.Empty(await client.ListObjectsAsync("generations", CancellationToken.None));
        var listed = Assert.Single(await client.ListObjectsAsync(string.Empty, CancellationToken.None), o => o.Path.EndsWith(LtxFileName.Format(7, 7), StringComparison.Ordinal));
        Assert.Equal(bytes.Length, listed.Size);
        Assert.False(listed.Path.StartsWith('/'));
        await using var opened = await client.OpenObjectAsync(listed.Path, CancellationToken.None);
        using var copy = new MemoryStream();
        await opened.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Rewriting_a_file_is_idempotent_and_deleting_is_too()
    {
        await using var client = NewClient();
        var bytes = LtxFiles.Encode(1024, 1, 5, 5, [(1, LtxFiles.Page(1024, 1))]);
        await client.WriteAsync(0, 5, 5, new MemoryStream(bytes), Time, CancellationToken.None);
        await client.WriteAsync(0, 5, 5, new MemoryStream(bytes), Time, CancellationToken.None);
        var listed = Assert.Single(await client.ListAsync(0, CancellationToken.None));
        Assert.Equal(bytes, await Read(client, 0, 5, 5, 0, null));

        await client.DeleteAsync([listed], CancellationToken.None);
        await client.DeleteAsync([listed], CancellationToken.None);
        Assert.Empty(await client.ListAsync(0, CancellationToken.None));
    }

    [Fact]
    public async Task A_file_larger_than_any_single_request_round_trips_through_the_chunked_paths()
    {
        // 24 MiB: S3 multipart (5 MiB parts), Azure staged blocks (8 MiB), GCS resumable chunks, NATS object chunks.
        await using var client = NewClient();
        var large = System.Security.Cryptography.RandomNumberGenerator.GetBytes((24 << 20) + 17);
        await client.WriteAsync(9, 1, 500, new MemoryStream(large), Time, CancellationToken.None);
        Assert.Equal(large.Length, Assert.Single(await client.ListAsync(9, CancellationToken.None)).Size);
        Assert.Equal(large, await Read(client, 9, 1, 500, 0, null));
        Assert.Equal(large[(20 << 20)..((20 << 20) + 4096)], await Read(client, 9, 1, 500, 20 << 20, 4096));
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_not_found()
    {
        var e = await Assert.ThrowsAsync<ReplicaFileNotFoundException>(() => Read(NewClient(), 0, 7, 7, 0, null));
        Assert.Contains("0000000000000007-0000000000000007.ltx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_thousands_of_files_pages_through_them_all()
    {
        await using var client = NewClient();
        var bytes = LtxFiles.Encode(512, 1, 1, 1, [(1, LtxFiles.Page(512, 1))]);
        const int count = 1100;
        await Parallel.ForEachAsync(Enumerable.Range(1, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await client.WriteAsync(0, (ulong)i, (ulong)i, new MemoryStream(bytes), Time, ct));
        var listed = await client.ListAsync(0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, count).Select(i => (ulong)i), listed.Select(f => f.MinTxid));
    }

    protected static async Task<byte[]> Read(IReplicaClient client, int level, ulong min, ulong max, long offset, long? length)
    {
        await using var stream = await client.OpenAsync(level, min, max, offset, length, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
