namespace LitestreamActors.Actors.Settings;

/// <summary>
/// A warm standby (docs/cluster.md, "Warm standbys"): <see cref="Path"/> kept as a follower of a replica written
/// elsewhere, promoted to the database by <c>litestream promote</c> or, with <see cref="AutoPromote"/>, when the
/// replica's writer leaves the cluster. <see cref="ReplicaUrl"/> is what the promoted database replicates to.
/// </summary>
public sealed record StandbySettings(string Path, ReplicaSettings Replica, string ReplicaUrl, bool AutoPromote)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
