namespace LitestreamActors.Storage.Restore;

/// <summary>What <see cref="ReplicaVerifier"/> found: files read, the newest TXID held and the newest restorable one.</summary>
public sealed record ReplicaVerification(int Files, ulong NewestTxid, ulong? RestorableTxid, IReadOnlyList<string> Problems);
