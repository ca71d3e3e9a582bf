namespace LitestreamActors.Actors.Inspection;

/// <summary>One actor of the node's tree: its path, its class, messages waiting in its mailbox, restarts since the node started.</summary>
public sealed record ActorNode(string Path, string Type, int Mailbox, int Restarts, IReadOnlyList<ActorNode> Children);
