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

    /// <summary>The <c>dir:</c> entries: databases found by name under a directory.</summary>
    public IReadOnlyList<DatabaseDirectory> Directories { get; init; } = [];

    /// <summary>The database entry for an absolute path, or null: a <c>path:</c> entry, else the <c>dir:</c> entry covering it (the file need not exist).</summary>
    public DatabaseSettings? FindDatabase(string absolutePath) =>
        Databases.FirstOrDefault(d => string.Equals(d.Path, absolutePath, StringComparison.Ordinal))
        ?? Directories.FirstOrDefault(d => d.Covers(absolutePath))?.For(absolutePath);

    /// <summary>The <c>path:</c> entries and every database the <c>dir:</c> entries find now, each once (a <c>path:</c> entry wins).</summary>
    public IReadOnlyList<DatabaseSettings> ScanDatabases()
    {
        var all = Databases.ToList();
        var known = Databases.Select(d => d.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var directory in Directories)
        {
            all.AddRange(directory.Scan().Where(known.Add).Select(directory.For));
        }
        return all;
    }
}
