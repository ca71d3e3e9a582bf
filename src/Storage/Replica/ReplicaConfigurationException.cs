namespace LitestreamActors.Storage.Replica;

/// <summary>A replica description that cannot work: unknown type, bad URL, missing path.</summary>
public sealed class ReplicaConfigurationException(string message) : StorageException(message);
