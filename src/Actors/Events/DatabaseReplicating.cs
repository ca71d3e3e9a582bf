namespace LitestreamActors.Actors.Events;

/// <summary>Published on the event stream when a database's first capture succeeded: it is replicating (the started hook fires then).</summary>
public sealed record DatabaseReplicating(string Path, ulong Txid);
