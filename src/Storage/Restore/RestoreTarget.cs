namespace LitestreamActors.Storage.Restore;

/// <summary>What to restore to: the latest state, a TXID (a file boundary), or the last state before a moment.</summary>
public sealed record RestoreTarget(ulong? Txid, DateTimeOffset? Timestamp)
{
    public static RestoreTarget Latest { get; } = new(null, null);

    public bool IsLatest => Txid is null && Timestamp is null;

    internal bool Admits(Replica.LtxFileInfo file) =>
        (Txid is not { } txid || file.MaxTxid <= txid) && (Timestamp is not { } timestamp || file.CreatedAt < timestamp);
}
