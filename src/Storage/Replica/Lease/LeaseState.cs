namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>A lease as stored, with the backend's version of it (ETag, generation, revision) for a conditional replace.</summary>
public sealed record LeaseState(LeaseRecord Record, string Version);
