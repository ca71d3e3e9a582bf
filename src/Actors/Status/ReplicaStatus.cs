namespace LitestreamActors.Actors.Status;

/// <summary>One replica as its actor sees it: the TXID the replica holds (null until listed) and the last error, if any.</summary>
public sealed record ReplicaStatus(string Name, string Type, string Location, ulong? Txid, DateTimeOffset? LastUploadAt, string? LastError);
