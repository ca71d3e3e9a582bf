namespace LitestreamActors.TestSupport;

/// <summary>Runs the <c>litestream</c> executable the build produced, as a user would.</summary>
public static class LitestreamCli
{
    /// <summary>The build's, or the one <c>LSA_CLI</c> names (a native build, bench/native-build.sh, run through the same tests).</summary>
    public static string Executable => RepositoryPaths.RequireFile(
        Environment.GetEnvironmentVariable("LSA_CLI") is { Length: > 0 } other ? Path.GetFullPath(other) : Path.Combine(RepositoryPaths.CliDirectory, "litestream"));

    public static ProcessResult Run(params string[] args) => ProcessRunner.Run(Executable, args);

    /// <summary>The <c>.dump</c> of the replica's latest state, restored by <c>litestream restore</c> into <paramref name="output"/>.</summary>
    public static string RestoredDump(string replicaUrl, string output)
    {
        Run("restore", "-o", output, replicaUrl).EnsureSuccess("restore " + replicaUrl);
        return Sqlite3.Dump(output);
    }
}
