namespace LitestreamActors.Actors.Events;

/// <summary>Published on the event stream after each checkpoint the capture runs (mode PASSIVE or TRUNCATE).</summary>
public sealed record CheckpointObserved(string Path, string Mode, TimeSpan Duration, bool Failed);
