namespace LitestreamActors.Storage.Replica;

/// <summary>A file the caller expected in the replica is not there (deleted by retention, or never written).</summary>
public sealed class ReplicaFileNotFoundException(string message) : StorageException(message);
