namespace LitestreamActors.Storage.Replica;

/// <summary>
/// A replica client that hands every call to <paramref name="inner"/>: the base of wrappers that change only some of
/// them (a fence on writes, a drain on disposal).
/// </summary>
public abstract class ForwardingReplicaClient(IReplicaClient inner) : IReplicaClient
{
    public string Type => inner.Type;

    public string DisplayLocation => inner.DisplayLocation;

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => inner.ListAsync(level, cancellationToken);

    public Task<IReadOnlyList<LtxFileInfo>> ListWithTimestampsAsync(int level, CancellationToken cancellationToken) =>
        inner.ListWithTimestampsAsync(level, cancellationToken);

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken) =>
        inner.OpenAsync(level, minTxid, maxTxid, offset, length, cancellationToken);

    public virtual Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        inner.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken);

    public void StampGeneration(long generation) => inner.StampGeneration(generation);

    public Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken) => inner.LeaseAsync(cancellationToken);

    public Task<IReadOnlyList<ReplicaObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) =>
        inner.ListObjectsAsync(prefix, cancellationToken);

    public Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken) => inner.OpenObjectAsync(path, cancellationToken);

    public virtual Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken) => inner.DeleteAsync(files, cancellationToken);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return inner.DisposeAsync();
    }
}
