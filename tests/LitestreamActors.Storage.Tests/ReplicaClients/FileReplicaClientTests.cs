using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

public sealed class FileReplicaClientTests : ReplicaClientConformanceTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override IReplicaClient NewClient() => new FileReplicaClient(_dir.File(Guid.NewGuid().ToString("N")));

    [Fact]
    public async Task Each_file_carries_the_lease_generation_it_was_written_under()
    {
        var client = new FileReplicaClient(_dir.File("stamped"));
        var bytes = LtxFiles.Encode(1024, 1, 1, 1, [(1, LtxFiles.Page(1024, 1))]);
        await client.WriteAsync(0, 1, 1, new MemoryStream(bytes), Time, CancellationToken.None);
        client.StampGeneration(7);
        await client.WriteAsync(0, 2, 2, new MemoryStream(bytes), Time, CancellationToken.None);

        Assert.Null(IO.FileAttributes.TryGet(client.FilePath(0, 1, 1), FileReplicaClient.GenerationAttribute));
        Assert.Equal("7", IO.FileAttributes.TryGet(client.FilePath(0, 2, 2), FileReplicaClient.GenerationAttribute));
    }
}
