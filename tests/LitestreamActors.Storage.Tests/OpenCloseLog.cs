using System.Collections.Concurrent;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// Around a real replica client: logs, in order, when each file is asked for ("open N") and when the stream it
/// returned is closed ("close N"), N being the file's max TXID.
/// </summary>
internal sealed class OpenCloseLog(IReplicaClient inner) : IReplicaClient
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> Events => [.. _events];

    public string Type => inner.Type;

    public string DisplayLocation => inner.DisplayLocation;

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => inner.ListAsync(level, cancellationToken);

    public async Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken)
    {
        _events.Enqueue($"open {maxTxid}");
        return new ClosingStream(await inner.OpenAsync(level, minTxid, maxTxid, offset, length, cancellationToken), () => _events.Enqueue($"close {maxTxid}"));
    }

    public Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        inner.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken) => inner.DeleteAsync(files, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
