namespace LitestreamActors.Storage.Replica;

/// <summary>
/// A replica client whose disposal first lets the writes and deletions in flight finish, for up to
/// <paramref name="drainTimeout"/>, then closes the inner client. Its owner stops after its children, whose operations
/// may still be running: closing the connection under a write cuts its body short, and some S3-compatible stores keep
/// such a body as the object (docs/reliability.md, "Stalls and slow links").
/// </summary>
public sealed class DrainingReplicaClient(IReplicaClient inner, TimeSpan drainTimeout) : IReplicaClient
{
    private readonly object _gate = new();
    private int _inFlight;
    private TaskCompletionSource? _drained;

    /// <summary>Writes and deletions not finished yet; after disposal, those that the drain did not wait out.</summary>
    public int InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight;
            }
        }
    }

    public string Type => inner.Type;

    public string DisplayLocation => inner.DisplayLocation;

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => inner.ListAsync(level, cancellationToken);

    public Task<IReadOnlyList<LtxFileInfo>> ListWithTimestampsAsync(int level, CancellationToken cancellationToken) =>
        inner.ListWithTimestampsAsync(level, cancellationToken);

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken) =>
        inner.OpenAsync(level, minTxid, maxTxid, offset, length, cancellationToken);

    public async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        Begin();
        try
        {
            return await inner.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            End();
        }
    }

    public void StampGeneration(long generation) => inner.StampGeneration(generation);

    public Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken) => inner.LeaseAsync(cancellationToken);

    public Task<IReadOnlyList<ReplicaObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) =>
        inner.ListObjectsAsync(prefix, cancellationToken);

    public Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken) => inner.OpenObjectAsync(path, cancellationToken);

    public async Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        Begin();
        try
        {
            await inner.DeleteAsync(files, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            End();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task drained;
        lock (_gate)
        {
            drained = _inFlight == 0 ? Task.CompletedTask : (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        await Task.WhenAny(drained, Task.Delay(drainTimeout)).ConfigureAwait(false);
        await inner.DisposeAsync().ConfigureAwait(false);
    }

    private void Begin()
    {
        lock (_gate)
        {
            _inFlight++;
        }
    }

    private void End()
    {
        lock (_gate)
        {
            if (--_inFlight == 0)
            {
                _drained?.TrySetResult();
                _drained = null;
            }
        }
    }
}
