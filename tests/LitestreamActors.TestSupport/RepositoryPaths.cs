namespace LitestreamActors.TestSupport;

/// <summary>Locations inside the checkout: fixtures, the built CLI, and the reference tools test.sh installs.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    public static string LtxFixture => Path.Combine(Fixtures, "ltx-v0.5.17");

    public static string V3Fixture => Path.Combine(Fixtures, "v0.3.13");

    /// <summary>The real Litestream 0.3.13 (npm @flydotio/litestream-linux-x64).</summary>
    public static string Litestream03 => RequireFile(
        Path.Combine(Tools, "node_modules", "@flydotio", "litestream-linux-x64", "litestream"));

    /// <summary>
    /// Where the build puts the <c>litestream</c> executable, in the tests' own configuration: a Release build leaves
    /// ReadyToRun code there, the copy beside the test assembly is plain IL.
    /// </summary>
    public static string CliDirectory { get; } = Path.Combine(
        Root, "src", "Cli", "bin", Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)))!);

    public static string Tools => Path.Combine(Root, ".tools");

    /// <summary>Litestream 0.5.17's LTX reader/writer, an SQLite extension (npm litestream-vfs-linux-amd64).</summary>
    public static string LitestreamVfs => RequireFile(
        Path.Combine(Tools, "node_modules", "litestream-vfs-linux-amd64", "litestream-vfs.so"));

    public static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run ./test.sh, which installs the test tools");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LitestreamActors.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find LitestreamActors.sln above " + AppContext.BaseDirectory);
    }
}
