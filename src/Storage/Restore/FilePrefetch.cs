using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// The next planned file, opened (its request sent, its header read) while the current one is applied, so the store's
/// time to answer is not paid between files (docs/performance.md, "Restore"). A prefetched file the restore does not
/// ask for next (it planned again) is closed unread.
/// </summary>
internal sealed class FilePrefetch(IReplicaClient client, int bufferSize) : IAsyncDisposable
{
    private LtxFileInfo? _file;
    private Task<OpenedLtxFile>? _opening;

    /// <summary>The file, from the prefetch when it is the one started, else opened now.</summary>
    public async Task<OpenedLtxFile> OpenAsync(LtxFileInfo file, CancellationToken cancellationToken)
    {
        if (_opening is { } opening && file.Equals(_file))
        {
            _opening = null;
            return await opening;
        }
        await DisposeAsync();
        return await OpenedLtxFile.OpenAsync(client, file, bufferSize, cancellationToken);
    }

    /// <summary>Starts opening <paramref name="file"/>, which the restore will most likely ask for next.</summary>
    public void Start(LtxFileInfo file, CancellationToken cancellationToken)
    {
        _file = file;
        _opening = Task.Run(() => OpenedLtxFile.OpenAsync(client, file, bufferSize, cancellationToken), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_opening is not { } opening)
        {
            return;
        }
        _opening = null;
        try
        {
            await (await opening).DisposeAsync();
        }
        catch (Exception)
        {
            // Never used: how it failed matters to no one.
        }
    }
}
