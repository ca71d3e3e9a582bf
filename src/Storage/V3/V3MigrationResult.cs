namespace LitestreamActors.Storage.V3;

/// <summary>A migration: the last TXID the backup maps to, the files written now, and those already there from an earlier run.</summary>
public sealed record V3MigrationResult(ulong LastTxid, int Written, int AlreadyPresent);
