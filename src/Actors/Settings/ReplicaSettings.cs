using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Settings;

/// <summary>One replica target of a database. Name is the config's <c>name:</c>, else the backend type.</summary>
public sealed record ReplicaSettings(string Name, ReplicaEndpoint Endpoint)
{
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(1);
}
