using System.Collections.Concurrent;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// Around a real replica client: logs, in order, when each file is asked for ("open N") and when the stream it
/// returned is closed ("close N"), N being the file's max TXID. Given the files' order, the close of each one but the
/// last waits (30 s at most) until the next is asked for: a file read ahead is then seen ahead however fast the
/// current one is applied, and one never read ahead shows as 30 s and the wrong order.
/// </summary>
internal sealed class OpenCloseLog(IReplicaClient inner, List<ulong>? closeAfterNextOpen = null) : IReplicaClient
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> Events => [.. _events];

    public string Type => inner.Type;

    public string DisplayLocation => inner.DisplayLocation;

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => inner.ListAsync(level, cancellationToken);

    public async Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken)
    {
        _events.Enqueue($"open {maxTxid}");
        return new ClosingStream(await inner.OpenAsync(level, minTxid, maxTxid, offset, length, cancellationToken), () =>
        {
            if (closeAfterNextOpen is { } order && order.IndexOf(maxTxid) is >= 0 and var at && at + 1 < order.Count)
            {
                SpinWait.SpinUntil(() => _events.Contains($"open {order[at + 1]}"), TimeSpan.FromSeconds(30));
            }
            _events.Enqueue($"close {maxTxid}");
        });
    }

    public Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        inner.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken) => inner.DeleteAsync(files, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
