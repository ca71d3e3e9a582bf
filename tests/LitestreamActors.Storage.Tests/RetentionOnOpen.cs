using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// Fault injection around a real replica client: the first time <paramref name="trigger"/> is opened, runs
/// <paramref name="retention"/> first (as retention deleting files between a restore's plan and its reads would).
/// </summary>
internal sealed class RetentionOnOpen(IReplicaClient inner, LtxFileInfo trigger, Func<Task> retention) : IReplicaClient
{
    private bool _fired;

    public List<LtxFileInfo> Opened { get; } = [];

    public string Type => inner.Type;

    public string DisplayLocation => inner.DisplayLocation;

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => inner.ListAsync(level, cancellationToken);

    public async Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken)
    {
        if (!_fired && (level, minTxid, maxTxid) == (trigger.Level, trigger.MinTxid, trigger.MaxTxid))
        {
            _fired = true;
            await retention();
        }
        var stream = await inner.OpenAsync(level, minTxid, maxTxid, offset, length, cancellationToken);
        Opened.Add(new LtxFileInfo(level, minTxid, maxTxid, 0, DateTimeOffset.MinValue));
        return stream;
    }

    public Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        inner.WriteAsync(level, minTxid, maxTxid, content, createdAt, cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken) => inner.DeleteAsync(files, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
