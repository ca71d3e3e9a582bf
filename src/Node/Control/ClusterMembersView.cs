namespace LitestreamActors.Node.Control;

/// <summary>The members as the asked node sees them: which one answered, and the leader.</summary>
public sealed record ClusterMembersView(string Self, string? Leader, IReadOnlyList<ClusterMemberView> Members);
