using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Node.Metrics;

/// <summary>A replica client that counts its storage operations (GET, PUT, DELETE, LIST) and their bytes for the metrics.</summary>
public sealed class MeteredReplicaClient(IReplicaClient inner, NodeMetrics metrics) : IReplicaClient
{
    public string Type => inner.Type;

    public string DisplayLocation => inner.DisplayLocation;

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) =>
        Count("LIST", inner.ListAsync(level, cancellationToken));

    public Task<IReadOnlyList<LtxFileInfo>> ListWithTimestampsAsync(int level, CancellationToken cancellationToken) =>
        Count("LIST", inner.ListWithTimestampsAsync(level, cancellationToken));

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken) =>
        Count("GET", inner.OpenAsync(level, minTxid, maxTxid, offset, length, cancellationToken));

    public async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var written = await inner.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken);
        metrics.ObserveOperation(Type, "PUT", written.Size);
        return written;
    }

    public void StampGeneration(long generation) => inner.StampGeneration(generation);

    public Task<LeaseSupport> LeaseAsync(CancellationToken cancellationToken) => inner.LeaseAsync(cancellationToken);

    public Task<IReadOnlyList<ReplicaObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) =>
        Count("LIST", inner.ListObjectsAsync(prefix, cancellationToken));

    public Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken) =>
        Count("GET", inner.OpenObjectAsync(path, cancellationToken));

    public async Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        await inner.DeleteAsync(files, cancellationToken);
        metrics.ObserveOperation(Type, "DELETE", files.Sum(f => f.Size));
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private async Task<T> Count<T>(string operation, Task<T> call)
    {
        var result = await call;
        metrics.ObserveOperation(Type, operation, 0);
        return result;
    }
}
