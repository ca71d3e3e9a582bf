namespace LitestreamActors.Storage.Replica;

/// <summary>
/// A replica client whose disposal first lets the writes and deletions in flight finish, for up to
/// <paramref name="drainTimeout"/>, then closes the inner client. Its owner stops after its children, whose operations
/// may still be running: closing the connection under a write cuts its body short, and some S3-compatible stores keep
/// such a body as the object (docs/reliability.md, "Stalls and slow links").
/// </summary>
public sealed class DrainingReplicaClient(IReplicaClient inner, TimeSpan drainTimeout) : ForwardingReplicaClient(inner)
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

    public override async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        Begin();
        try
        {
            return await base.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            End();
        }
    }

    public override async Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        Begin();
        try
        {
            await base.DeleteAsync(files, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            End();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        Task drained;
        lock (_gate)
        {
            drained = _inFlight == 0 ? Task.CompletedTask : (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        await Task.WhenAny(drained, Task.Delay(drainTimeout)).ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
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
