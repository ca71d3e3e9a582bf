using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Restore;

/// <summary>A replica file opened for streaming, its header read and checked against the name it was listed under.</summary>
internal sealed class OpenedLtxFile : IAsyncDisposable, IDisposable
{
    private readonly Stream _input;

    private OpenedLtxFile(LtxFileInfo file, Stream input, LtxDecoder decoder)
    {
        File = file;
        _input = input;
        Decoder = decoder;
    }

    public LtxFileInfo File { get; }

    public LtxDecoder Decoder { get; }

    public static async Task<OpenedLtxFile> OpenAsync(IReplicaClient client, LtxFileInfo file, int bufferSize, CancellationToken cancellationToken) =>
        Opened(file, new BufferedStream(await DownloadAsync(client, file, cancellationToken), bufferSize));

    /// <summary>A copy of <paramref name="file"/> already on disk, read as if from the replica.</summary>
    public static OpenedLtxFile OpenCopy(LtxFileInfo file, string path) =>
        Opened(file, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 256 << 10));

    /// <summary>The file's bytes as the replica serves them; a download cut short picks up where it broke.</summary>
    public static async Task<Stream> DownloadAsync(IReplicaClient client, LtxFileInfo file, CancellationToken cancellationToken) =>
        await IO.ResumingReadStream.OpenAsync(
            (offset, ct) => client.OpenAsync(file.Level, file.MinTxid, file.MaxTxid, offset, null, ct), file.Size > 0 ? file.Size : null, file.DisplayName, cancellationToken);

    private static OpenedLtxFile Opened(LtxFileInfo file, Stream input)
    {
        try
        {
            var decoder = new LtxDecoder(input, file.DisplayName);
            var header = decoder.ReadHeader();
            if (header.MinTxid != file.MinTxid || header.MaxTxid != file.MaxTxid)
            {
                throw new LtxFormatException(
                    $"{file.DisplayName}: header holds TXIDs {Txid.Format(header.MinTxid)}-{Txid.Format(header.MaxTxid)}, not what its name says");
            }
            return new OpenedLtxFile(file, input, decoder);
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _input.DisposeAsync();

    public void Dispose() => _input.Dispose();
}
