namespace LitestreamActors.Actors.Settings;

/// <summary>One database to replicate: its absolute path and every replica target, in config order.</summary>
public sealed record DatabaseSettings(string Path, IReadOnlyList<ReplicaSettings> Replicas);
