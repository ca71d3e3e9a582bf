using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Restore;

/// <summary>The files a restore applies, in order: a snapshot (or a file starting at TXID 1), then ever later ranges.</summary>
public sealed record RestorePlan(IReadOnlyList<LtxFileInfo> Files)
{
    public ulong MinTxid => Files[0].MinTxid;

    public ulong MaxTxid => Files[^1].MaxTxid;
}
