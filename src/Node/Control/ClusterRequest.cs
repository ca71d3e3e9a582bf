namespace LitestreamActors.Node.Control;

/// <summary>The body of <c>/cluster/leave</c> and <c>/cluster/down</c>: a member's address, or its host:port.</summary>
public sealed record ClusterRequest(string? Address);
