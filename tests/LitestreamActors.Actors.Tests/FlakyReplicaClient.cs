using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Tests;

/// <summary>Fault injection around a real client: writes fail while <see cref="Down"/> is set, as a vanished server does.</summary>
internal sealed class FlakyReplicaClient(IReplicaClient inner) : IReplicaClient
{
    private int _failedWrites;

    public volatile bool Down;

    public int FailedWrites => _failedWrites;

    public string Type => inner.Type;

    public string DisplayLocation => inner.DisplayLocation;

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => inner.ListAsync(level, cancellationToken);

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken) =>
        inner.OpenAsync(level, minTxid, maxTxid, offset, length, cancellationToken);

    public Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        if (Down)
        {
            Interlocked.Increment(ref _failedWrites);
            throw new IOException("connection refused (injected)");
        }
        return inner.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken);
    }

    public Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken) => inner.DeleteAsync(files, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
