using System.Diagnostics;
using System.Security.Cryptography;
using LitestreamActors.Storage.Replica;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

/// <summary>
/// The conformance suite plus what only a backend behind a network shows: the server going away in the middle of an
/// upload and coming back. A <see cref="TcpFaultProxy"/> in front of the real server is the fault.
/// </summary>
public abstract class NetworkReplicaClientConformanceTests : ReplicaClientConformanceTests
{
    /// <summary>The real server's address; only scheme, host and port are used.</summary>
    protected abstract Uri Server { get; }

    /// <summary>A client for an empty, private location on the server reached at <paramref name="server"/>.</summary>
    protected abstract IReplicaClient NewClient(Uri server);

    protected override IReplicaClient NewClient() => NewClient(Server);

    /// <summary>
    /// True for a test server that, unlike the service it stands for, stores a request body cut short. The write still
    /// fails, and the retry replaces the object with the whole file.
    /// </summary>
    protected virtual bool ServerStoresBodiesCutShort => false;

    [Fact]
    public async Task A_server_gone_mid_upload_leaves_no_partial_file_and_the_same_write_succeeds_when_it_is_back()
    {
        using var proxy = new TcpFaultProxy(Server.Host, Server.Port);
        var client = NewClient(new UriBuilder(Server) { Host = "127.0.0.1", Port = proxy.Port }.Uri);
        var small = LtxFiles.Encode(1024, 1, 1, 1, [(1, LtxFiles.Page(1024, 1))]);
        await client.WriteAsync(0, 1, 1, new MemoryStream(small), Time, CancellationToken.None);
        var large = RandomNumberGenerator.GetBytes(4 << 20);

        proxy.CutAfterUpload(1 << 20);
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => client.WriteAsync(0, 2, 2, new MemoryStream(large), Time, CancellationToken.None));
        Assert.True(e is StorageException, $"expected a StorageException, got {e}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the failed write took {clock.Elapsed}");

        proxy.Restore();
        var afterFailure = await client.ListAsync(0, CancellationToken.None);
        if (ServerStoresBodiesCutShort)
        {
            Assert.True(afterFailure is [{ MinTxid: 1 }, { MinTxid: 2 } cut] && cut.Size < large.Length, "expected the server to keep the cut-short body");
        }
        else
        {
            Assert.Equal([1UL], afterFailure.Select(f => f.MinTxid));
        }
        await client.WriteAsync(0, 2, 2, new MemoryStream(large), Time, CancellationToken.None);
        Assert.Equal([(1UL, (long)small.Length), (2UL, large.Length)], (await client.ListAsync(0, CancellationToken.None)).Select(f => (f.MinTxid, f.Size)));
        Assert.Equal(large, await Read(client, 0, 2, 2, 0, null));
    }

    [Fact]
    public async Task A_write_running_when_its_owner_closes_the_client_finishes_before_the_connection_closes()
    {
        using var proxy = new TcpFaultProxy(Server.Host, Server.Port);
        var client = new DrainingReplicaClient(NewClient(new UriBuilder(Server) { Host = "127.0.0.1", Port = proxy.Port }.Uri), TimeSpan.FromSeconds(30));
        var small = LtxFiles.Encode(1024, 1, 1, 1, [(1, LtxFiles.Page(1024, 1))]);
        await client.WriteAsync(0, 1, 1, new MemoryStream(small), Time, CancellationToken.None);
        var body = RandomNumberGenerator.GetBytes(512 << 10);
        proxy.UploadBytesPerSecond = 256 << 10;

        var write = client.WriteAsync(0, 2, 2, new MemoryStream(body), Time, CancellationToken.None);
        await Task.Delay(500);
        Assert.Equal(1, client.InFlight);
        await client.DisposeAsync();

        // Nothing in flight when the close returns: the drain saw the write's own code finish. Its task completes a
        // moment later on the write's thread, and it must have succeeded: the connection was not cut under it.
        Assert.Equal(0, client.InFlight);
        await write.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(write.IsCompletedSuccessfully, $"the write did not succeed: {write.Status} {write.Exception?.GetBaseException().Message}");
    }
}
