namespace LitestreamActors.Actors.Settings;

/// <summary>The whole configuration a node runs with, as plain records.</summary>
public sealed record LitestreamSettings(IReadOnlyList<DatabaseSettings> Databases)
{
    /// <summary>Null runs the tree in a local ActorSystem with no remoting.</summary>
    public ClusterSettings? Cluster { get; init; }

    /// <summary>The string form of <c>exec:</c>: the application run as a supervised child (upstream's).</summary>
    public string? ExecCommand { get; init; }

    /// <summary>The list form of <c>exec:</c> (ours): hooks run on events.</summary>
    public IReadOnlyList<ExecHook> ExecHooks { get; init; } = [];

    /// <summary>Levels, snapshots and retention for replicas registered at run time: the config's global defaults.</summary>
    public ReplicaSettings ReplicaDefaults { get; init; } = new("replica", new Storage.Replica.ReplicaEndpoint(string.Empty, null, null));

    /// <summary>The HTTP host, control socket and MCP server; null serves none of them.</summary>
    public ControlSettings? Control { get; init; }

    public LoggingSettings Logging { get; init; } = LoggingSettings.Default;

    /// <summary>Upstream keys present in the file that this version does not act on yet, one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The database entry for an absolute path, or null.</summary>
    public DatabaseSettings? FindDatabase(string absolutePath) =>
        Databases.FirstOrDefault(d => string.Equals(d.Path, absolutePath, StringComparison.Ordinal));
}
