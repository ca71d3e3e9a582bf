namespace LitestreamActors.Node.Control;

/// <summary>One member: its status, whether the asked node can reach it, when it started, and how many databases it replicates.</summary>
public sealed record ClusterMemberView(
    string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool Leader, DateTimeOffset? UpSince, int Databases);
