namespace LitestreamActors.TestSupport;

/// <summary>Copies a folder tree (a fixture replica) so a test can change its copy.</summary>
public static class DirectoryCopy
{
    public static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
