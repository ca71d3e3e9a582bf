using LitestreamActors.Actors.Settings;

namespace LitestreamActors.Node.Configuration;

/// <summary>A whole config file: what the actor tree runs with, and what only the hosting node and the CLI read.</summary>
public sealed record NodeSettings(LitestreamSettings Replication)
{
    public IReadOnlyList<DatabaseSettings> Databases => Replication.Databases;

    /// <summary>Null runs the tree in a local ActorSystem with no remoting.</summary>
    public ClusterSettings? Cluster { get; init; }

    /// <summary>The string form of <c>exec:</c>: the application run as a supervised child (upstream's).</summary>
    public string? ExecCommand { get; init; }

    /// <summary>The HTTP host, control socket and MCP server; null serves none of them.</summary>
    public ControlSettings? Control { get; init; }

    public LoggingSettings Logging { get; init; } = LoggingSettings.Default;

    /// <summary>Upstream keys present in the file that this version does not act on yet, one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The database entry for an absolute path, or null.</summary>
    public DatabaseSettings? FindDatabase(string absolutePath) => Replication.FindDatabase(absolutePath);
}
