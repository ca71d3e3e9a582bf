namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>A write refused because this process does not hold the replica's lease at this moment.</summary>
public sealed class LeaseExpiredException(string message) : StorageException(message);
