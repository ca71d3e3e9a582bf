namespace LitestreamActors.Actors.Settings;

/// <summary>The whole configuration a node runs with, as plain records.</summary>
public sealed record LitestreamSettings(IReadOnlyList<DatabaseSettings> Databases)
{
    /// <summary>The database entry for an absolute path, or null.</summary>
    public DatabaseSettings? FindDatabase(string absolutePath) =>
        Databases.FirstOrDefault(d => string.Equals(d.Path, absolutePath, StringComparison.Ordinal));
}
