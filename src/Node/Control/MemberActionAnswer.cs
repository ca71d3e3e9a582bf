namespace LitestreamActors.Node.Control;

/// <summary><c>/cluster/leave</c> and <c>/cluster/down</c>: what was done (<c>leaving</c>, <c>downed</c>) to which member.</summary>
public sealed record MemberActionAnswer(string Status, string Address);
