using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Node.Control;

/// <summary>
/// What a restore against the cluster reads: the database's owner, the replica (a client made with this node's
/// credentials) and the target, a synced TXID when the request named none. The caller disposes the client.
/// </summary>
public sealed record ClusterRestoreSource(string Owner, string Database, string Replica, IReplicaClient Client, RestoreTarget Target) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
