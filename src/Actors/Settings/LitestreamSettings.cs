namespace LitestreamActors.Actors.Settings;

/// <summary>What the actor tree runs with, as plain records: the databases, hooks and defaults for registered replicas.</summary>
public sealed record LitestreamSettings(IReadOnlyList<DatabaseSettings> Databases)
{
    /// <summary>The list form of <c>exec:</c> (ours): hooks run on events.</summary>
    public IReadOnlyList<ExecHook> ExecHooks { get; init; } = [];

    /// <summary>Levels, snapshots and retention for replicas registered at run time: the config's global defaults.</summary>
    public ReplicaSettings ReplicaDefaults { get; init; } = new("replica", new Storage.Replica.ReplicaEndpoint(string.Empty, null, null));

    /// <summary>Whether databases wait as standbys for their replicas' leases (in a cluster), and the leases' lifetime.</summary>
    public ReplicaOwnership Ownership { get; init; } = ReplicaOwnership.Local;

    /// <summary>Databases this node keeps as followers of a replica written elsewhere, ready to be promoted.</summary>
    public IReadOnlyList<StandbySettings> Standbys { get; init; } = [];

    /// <summary>The database entry for an absolute path, or null.</summary>
    public DatabaseSettings? FindDatabase(string absolutePath) =>
        Databases.FirstOrDefault(d => string.Equals(d.Path, absolutePath, StringComparison.Ordinal));
}
