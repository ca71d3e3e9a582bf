using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests.ReplicaClients;

public sealed class FileReplicaClientTests : ReplicaClientConformanceTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    protected override IReplicaClient NewClient() => new FileReplicaClient(_dir.File(Guid.NewGuid().ToString("N")));
}
