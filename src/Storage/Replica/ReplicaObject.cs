namespace LitestreamActors.Storage.Replica;

/// <summary>An object of a replica by its path relative to the replica root ('/' separated), size and modification time.</summary>
public sealed record ReplicaObject(string Path, long Size, DateTimeOffset LastModified);
