namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// A replica client that writes and deletes only while its <see cref="LeaseFence"/> is open, stamping each file with
/// the fence's generation: every writer of a replica (uploads, compaction, snapshots, retention) goes through it.
/// </summary>
public sealed class FencedReplicaClient(IReplicaClient inner, LeaseFence fence) : ForwardingReplicaClient(inner)
{
    public override Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        fence.Check($"ltx/{level}/{Ltx.LtxFileName.Format(minTxid, maxTxid)}");
        StampGeneration(fence.Generation);
        return base.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken);
    }

    public override Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        fence.Check($"a deletion of {files.Count} file(s)");
        return base.DeleteAsync(files, cancellationToken);
    }
}
