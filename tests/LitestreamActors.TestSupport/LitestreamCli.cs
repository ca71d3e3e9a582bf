namespace LitestreamActors.TestSupport;

/// <summary>Runs the <c>litestream</c> executable built beside the test assembly, as a user would.</summary>
public static class LitestreamCli
{
    public static string Executable => RepositoryPaths.RequireFile(Path.Combine(AppContext.BaseDirectory, "litestream"));

    public static ProcessResult Run(params string[] args) => ProcessRunner.Run(Executable, args);
}
