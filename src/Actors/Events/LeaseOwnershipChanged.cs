namespace LitestreamActors.Actors.Events;

/// <summary>Published when this node acquired a replica's lease (at <see cref="Generation"/>) or lost it to another.</summary>
public sealed record LeaseOwnershipChanged(string Database, string Replica, bool Acquired, long Generation);
