namespace LitestreamActors.Node.Control;

/// <summary><c>/sync</c>: <c>no_change</c>, <c>synced_local</c> or (with wait) <c>synced</c>, and the TXIDs reached.</summary>
public sealed record SyncAnswer(string Status, string Path, string? Txid, string? ReplicatedTxid);
