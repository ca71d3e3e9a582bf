namespace LitestreamActors.Actors.Events;

/// <summary>Published on the event stream after each capture cycle of a database: how long, how many WAL bytes became LTX.</summary>
public sealed record SyncObserved(string Path, TimeSpan Duration, long WalBytes, bool Failed);
