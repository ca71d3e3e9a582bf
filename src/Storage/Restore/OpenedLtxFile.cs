using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Restore;

/// <summary>A replica file opened for streaming, its header read and checked against the name it was listed under.</summary>
internal sealed class OpenedLtxFile : IAsyncDisposable
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

    public static async Task<OpenedLtxFile> OpenAsync(IReplicaClient client, LtxFileInfo file, int bufferSize, CancellationToken cancellationToken)
    {
        var raw = await IO.ResumingReadStream.OpenAsync(
            (offset, ct) => client.OpenAsync(file.Level, file.MinTxid, file.MaxTxid, offset, null, ct), file.Size > 0 ? file.Size : null, file.DisplayName, cancellationToken);
        var input = new BufferedStream(raw, bufferSize);
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
            await input.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _input.DisposeAsync();
}
