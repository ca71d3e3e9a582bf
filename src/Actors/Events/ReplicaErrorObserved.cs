namespace LitestreamActors.Actors.Events;

/// <summary>Published on the event stream when a replica's upload failed and will be retried.</summary>
public sealed record ReplicaErrorObserved(string Replica, string Reason);
