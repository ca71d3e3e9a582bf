using LitestreamActors.Storage.Directories;

namespace LitestreamActors.Actors.Settings;

/// <summary>
/// A <c>dir:</c> entry (docs/replication.md, "Directories"): every SQLite database under <see cref="Directory"/>
/// whose name matches <see cref="Pattern"/> replicates with <see cref="Template"/>'s settings, each to its replicas'
/// locations with the database's relative path appended. With <see cref="Watch"/>, databases created later are added
/// and deleted ones removed while the node runs.
/// </summary>
public sealed record DatabaseDirectory(string Directory, GlobPattern Pattern, DatabaseSettings Template)
{
    public bool Recursive { get; init; }

    public bool Watch { get; init; }

    /// <summary>Upstream's <c>meta-dir</c>: each database's local state at <c>&lt;meta-dir&gt;/&lt;relative path&gt;-litestream</c>.</summary>
    public string? MetaDirectory { get; init; }

    /// <summary>How often a watched directory is listed again.</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether a path is one of this entry's databases by its place and name (the file need not exist).</summary>
    public bool Covers(string absolutePath)
    {
        var relative = Path.GetRelativePath(Directory, absolutePath);
        var outside = relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return !outside && !Path.IsPathRooted(relative) && relative != "."
            && (Recursive || !relative.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
            && DatabaseDirectoryScan.IsCandidate(Path.GetFileName(absolutePath), Pattern);
    }

    /// <summary>The settings of one database of this entry: replicas and local state placed by its relative path.</summary>
    public DatabaseSettings For(string absolutePath)
    {
        var relative = Path.GetRelativePath(Directory, absolutePath);
        var folder = Path.GetDirectoryName(relative) ?? string.Empty;
        return Template with
        {
            Path = absolutePath,
            Replicas = [.. Template.Replicas.Select(r => r with { Endpoint = r.Endpoint.Under(relative) })],
            MetaPath = MetaDirectory is { } metaDirectory ? Path.Combine(metaDirectory, relative + "-litestream")
                : Template.MetaPath is { } meta ? Path.Combine(meta, folder, "." + Path.GetFileName(absolutePath) + "-litestream")
                : null,
        };
    }

    /// <summary>The databases there now; the headers of those in <paramref name="known"/> are not read again.</summary>
    public IReadOnlyList<string> Scan(IReadOnlySet<string>? known = null) => DatabaseDirectoryScan.Find(Directory, Pattern, Recursive, known);
}
