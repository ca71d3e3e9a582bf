namespace LitestreamActors.Node.Configuration;

/// <summary>
/// Present when the config has a <c>cluster:</c> section: the node joins an Akka.Cluster (docs/cluster.md), found
/// through <see cref="SeedNodes"/> or through Akka.Management's cluster bootstrap and <see cref="Discovery"/>.
/// </summary>
public sealed record ClusterSettings(string Name, string Hostname, int Port, IReadOnlyList<string> SeedNodes)
{
    public const string DefaultName = "litestream";

    /// <summary>The address other nodes reach this one at, when it differs from what it binds (NAT, containers).</summary>
    public string? PublicHostname { get; init; }

    public ClusterDiscovery? Discovery { get; init; }

    /// <summary>Contact points the bootstrap must see before forming a new cluster (Akka.Management's default is 2).</summary>
    public int RequiredContactPoints { get; init; } = 2;

    /// <summary>How long a replica's lease lasts unrenewed: a dead owner's targets are taken over after it (docs/cluster.md).</summary>
    public TimeSpan LeaseTimeToLive { get; init; } = Actors.Settings.ReplicaOwnership.DefaultClusterLeaseTimeToLive;

    public SplitBrainSettings SplitBrain { get; init; } = new(SplitBrainSettings.KeepMajority, TimeSpan.FromSeconds(20));
}
