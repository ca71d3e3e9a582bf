namespace LitestreamActors.Storage.Directories;

/// <summary>
/// The SQLite databases in a directory whose base names match a pattern (upstream's <c>dir:</c> + <c>pattern:</c>):
/// a file counts once its first 16 bytes are SQLite's header, so one still being created is found on a later scan.
/// Journal files and the local state folders (<c>.name-litestream</c>) are never databases.
/// </summary>
public static class DatabaseDirectoryScan
{
    private static readonly string[] SidecarSuffixes = ["-wal", "-shm", "-journal"];

    /// <summary>Absolute paths, ordered; a directory that does not exist holds none.</summary>
    /// <param name="known">Paths already known to be databases: their headers are not read again.</param>
    public static IReadOnlyList<string> Find(string directory, GlobPattern pattern, bool recursive, IReadOnlySet<string>? known = null)
    {
        var found = new List<string>();
        Scan(directory, pattern, recursive, known ?? new HashSet<string>(), found);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>
    /// True when the file starts with SQLite's header; false when it does not, is shorter, or cannot be read. A file this
    /// process replicates is not opened: closing any descriptor of it would drop SQLite's locks (<see cref="Capture.OpenDatabases"/>).
    /// </summary>
    public static bool IsDatabase(string path)
    {
        if (Capture.OpenDatabases.Contains(path))
        {
            return true;
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            return Capture.SqliteHeader.IsDatabase(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether a name could be one of the pattern's databases (not a journal beside one).</summary>
    public static bool IsCandidate(string fileName, GlobPattern pattern) =>
        pattern.Matches(fileName) && !SidecarSuffixes.Any(s => fileName.EndsWith(s, StringComparison.Ordinal));

    private static void Scan(string directory, GlobPattern pattern, bool recursive, IReadOnlySet<string> known, List<string> found)
    {
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(directory).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }
        foreach (var entry in entries)
        {
            var name = Path.GetFileName(entry);
            if (Directory.Exists(entry))
            {
                // A linked folder is not followed: it could lead back up the tree.
                if (recursive && !IsLocalState(name) && new DirectoryInfo(entry).LinkTarget is null)
                {
                    Scan(entry, pattern, recursive, known, found);
                }
            }
            else if (IsCandidate(name, pattern) && Path.GetFullPath(entry) is var path && (known.Contains(path) || IsDatabase(path)))
            {
                found.Add(path);
            }
        }
    }

    private static bool IsLocalState(string name) => name.StartsWith('.') && name.EndsWith("-litestream", StringComparison.Ordinal);
}
