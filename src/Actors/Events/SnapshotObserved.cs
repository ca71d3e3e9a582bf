namespace LitestreamActors.Actors.Events;

/// <summary>Published on the event stream when a replica wrote a level 9 snapshot.</summary>
public sealed record SnapshotObserved(string Path, string Replica, ulong Txid);
