namespace LitestreamActors.TestSupport;

/// <summary>
/// Litestream 0.5.17's own LTX reader and writer, loaded into the real sqlite3 shell as its VFS extension.
/// In write mode every sqlite3 process that commits uploads one LTX file when it closes.
/// </summary>
public static class LitestreamVfs
{
    /// <summary>Runs SQL through the VFS against the replica folder; writes are replicated when <paramref name="write"/>.</summary>
    public static ProcessResult Run(string replicaDirectory, string sql, bool write)
    {
        var script = $".load {RepositoryPaths.LitestreamVfs}\n.open file:vfs.db?vfs=litestream\n{sql}";
        return Sqlite3.Run(":memory:", script, Environment(replicaDirectory, write));
    }

    /// <summary>The SHA-256 of the replica's latest state's <c>.dump</c> as Litestream 0.5.17 reads it.</summary>
    public static string DumpDigest(string replicaDirectory) =>
        ProcessRunner.Digest(Sqlite3.Executable, [":memory:"], $".load {RepositoryPaths.LitestreamVfs}\n.open file:vfs.db?vfs=litestream\n.dump\n", Environment(replicaDirectory, write: false));

    /// <summary>The <c>.dump</c> of the replica's latest state as Litestream 0.5.17 reads it.</summary>
    public static string Dump(string replicaDirectory) =>
        Run(replicaDirectory, ".dump\n", write: false).EnsureSuccess("sqlite3 with litestream-vfs").StandardOutput;

    private static Dictionary<string, string?> Environment(string replicaDirectory, bool write) => new()
    {
        ["LITESTREAM_REPLICA_URL"] = "file://" + replicaDirectory,
        ["LITESTREAM_WRITE_ENABLED"] = write ? "true" : null,
        ["LITESTREAM_LOG_LEVEL"] = "ERROR",
    };
}
