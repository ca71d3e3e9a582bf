namespace LitestreamActors.Storage.Replica.File;

/// <summary>A replica folder on this machine.</summary>
public sealed record FileLocation(string Root) : IReplicaLocation
{
    public IReplicaClient CreateClient() => new FileReplicaClient(Root);
}
