using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// How far capture has come: the last TXID written, the WAL generation (salts) and the end of the frames it covered,
/// and the database size then. Derived from the newest L0 header, so it is never stored anywhere else.
/// </summary>
public sealed record CapturePosition(ulong Txid, uint Salt1, uint Salt2, long WalEnd, uint Commit, uint PageSize)
{
    public static CapturePosition FromHeader(LtxHeader header) =>
        new(header.MaxTxid, header.WalSalt1, header.WalSalt2, header.WalOffset + header.WalSize, header.Commit, header.PageSize);
}
