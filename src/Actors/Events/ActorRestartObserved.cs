namespace LitestreamActors.Actors.Events;

/// <summary>Published on the event stream when a supervisor restarts a child after a failure.</summary>
public sealed record ActorRestartObserved(string ActorPath, string Reason);
