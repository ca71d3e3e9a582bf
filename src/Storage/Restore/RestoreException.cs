namespace LitestreamActors.Storage.Restore;

/// <summary>A restore that cannot be done as asked: nothing in the replica, a gap, a TXID or time not held.</summary>
public sealed class RestoreException(string message) : StorageException(message);
