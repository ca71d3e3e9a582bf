namespace LitestreamActors.Storage.Replica;

/// <summary>
/// Where a replica is and how to reach it, parsed and checked from its config without touching the network or the disk:
/// checking a config builds locations, only an owner that will use one builds (and later disposes) its client.
/// </summary>
public interface IReplicaLocation
{
    IReplicaClient CreateClient();
}
