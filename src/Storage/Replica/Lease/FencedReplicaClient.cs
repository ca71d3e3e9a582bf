namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// A replica client that writes and deletes only while its <see cref="LeaseFence"/> is open, stamping each file with
/// the fence's generation: every writer of a replica (uploads, compaction, snapshots, retention) goes through it.
/// </summary>
public sealed class FencedReplicaClient(IReplicaClient inner, LeaseFence fence) : IReplicaClient
{
    public string Type => inner.Type;

    public string DisplayLocation => inner.DisplayLocation;

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => inner.ListAsync(level, cancellationToken);

    public Task<IReadOnlyList<LtxFileInfo>> ListWithTimestampsAsync(int level, CancellationToken cancellationToken) =>
        inner.ListWithTimestampsAsync(level, cancellationToken);

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken) =>
        inner.OpenAsync(level, minTxid, maxTxid, offset, length, cancellationToken);

    public Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        fence.Check($"ltx/{level}/{Ltx.LtxFileName.Format(minTxid, maxTxid)}");
        inner.StampGeneration(fence.Generation);
        return inner.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken);
    }

    public Task<LeaseSupport> LeaseAsync(CancellationToken cancellationToken) => inner.LeaseAsync(cancellationToken);

    public Task<IReadOnlyList<ReplicaObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) =>
        inner.ListObjectsAsync(prefix, cancellationToken);

    public Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken) => inner.OpenObjectAsync(path, cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        fence.Check($"a deletion of {files.Count} file(s)");
        return inner.DeleteAsync(files, cancellationToken);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
