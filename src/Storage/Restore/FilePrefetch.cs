using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// The next planned files, opened (their requests sent, their headers read) while the current one is applied, so a
/// distant store's time to answer is paid once per <c>depth</c> files rather than once per file (docs/performance.md,
/// "Restore"). Files opened ahead that the restore does not ask for next (it planned again) are closed unread.
/// </summary>
internal sealed class FilePrefetch(IReplicaClient client, int bufferSize, int depth) : IAsyncDisposable
{
    private readonly Queue<(LtxFileInfo File, Task<OpenedLtxFile> Opening)> _ahead = new();

    /// <summary>The file, from the files opened ahead when it is the first of them, else opened now.</summary>
    public async Task<OpenedLtxFile> OpenAsync(LtxFileInfo file, CancellationToken cancellationToken)
    {
        if (_ahead.TryPeek(out var first) && first.File.Equals(file))
        {
            _ahead.Dequeue();
            return await first.Opening;
        }
        await DisposeAsync();
        return await OpenedLtxFile.OpenAsync(client, file, bufferSize, cancellationToken);
    }

    /// <summary>Keeps up to <c>depth</c> of the files after <paramref name="current"/> opening.</summary>
    public async Task AheadAsync(IReadOnlyList<LtxFileInfo> files, int current, CancellationToken cancellationToken)
    {
        if (_ahead.Select((entry, i) => current + 1 + i < files.Count && entry.File.Equals(files[current + 1 + i])).Contains(false))
        {
            await DisposeAsync();
        }
        for (var next = current + 1 + _ahead.Count; _ahead.Count < depth && next < files.Count; next++)
        {
            var file = files[next];
            _ahead.Enqueue((file, Task.Run(() => OpenedLtxFile.OpenAsync(client, file, bufferSize, cancellationToken), cancellationToken)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_ahead.TryDequeue(out var entry))
        {
            try
            {
                await (await entry.Opening).DisposeAsync();
            }
            catch (Exception)
            {
                // Never used: how it failed matters to no one.
            }
        }
    }
}
