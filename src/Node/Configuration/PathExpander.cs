namespace LitestreamActors.Node.Configuration;

/// <summary>Turns paths from config and flags into absolute ones, expanding a leading <c>~</c> as upstream does.</summary>
public static class PathExpander
{
    public static string Absolute(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty);
        }
        return Path.GetFullPath(path);
    }

    /// <summary>A database path from config: <c>sqlite://</c> and <c>sqlite3://</c> prefixes stripped, then made absolute.</summary>
    public static string DatabasePath(string path)
    {
        foreach (var prefix in new[] { "sqlite3://", "sqlite://" })
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                path = path[prefix.Length..];
            }
        }
        return Absolute(path);
    }
}
