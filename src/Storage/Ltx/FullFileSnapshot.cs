namespace LitestreamActors.Storage.Ltx;

/// <summary>
/// Re-encodes a full L0 file (every page of the database at one TXID) as a level 9 snapshot of that TXID
/// (<c>1-&lt;TXID&gt;</c>): same pages, same timestamp, the header saying it starts at TXID 1.
/// </summary>
public static class FullFileSnapshot
{
    public static void Write(string fullFilePath, Stream output)
    {
        using var input = new FileStream(fullFilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var decoder = new LtxDecoder(input, fullFilePath);
        var header = decoder.ReadHeader();
        using var encoder = new LtxEncoder(output, LtxHeader.Create(header.PageSize, header.Commit, 1, header.MaxTxid, header.Timestamp));
        var page = new byte[header.PageSize];
        while (decoder.ReadPage(page, out var pgno))
        {
            encoder.WritePage(pgno, page);
        }
        decoder.ReadToEnd();
        encoder.Finish();
    }
}
