namespace LitestreamActors.TestSupport;

/// <summary>The real sqlite3 command-line shell: writes test databases and dumps them for comparison.</summary>
public static class Sqlite3
{
    public const string Executable = "sqlite3";

    /// <summary>Runs a script with a busy timeout, as any application sharing a database sets one.</summary>
    public static ProcessResult Run(string database, string script, IReadOnlyDictionary<string, string?>? environment = null) =>
        ProcessRunner.Run(Executable, [database], ".timeout 30000\n" + script, environment);

    public static string Execute(string database, string script) => Run(database, script).EnsureSuccess("sqlite3").StandardOutput;

    /// <summary>The <c>.dump</c> of a database, the form restores are compared in.</summary>
    public static string Dump(string database) => Execute(database, ".dump\n");

    /// <summary>The SHA-256 of a database's <c>.dump</c>, for databases whose dump is too large to compare as text.</summary>
    public static string DumpDigest(string database) => ProcessRunner.Digest(Executable, [database], ".timeout 30000\n.dump\n");

    /// <summary>
    /// The <c>.dump</c> without the row of Litestream's <c>_litestream_seq</c> counter, which the replicator bumps at
    /// checkpoints on its own: for comparisons at moments a test cannot line up exactly with the replicator's.
    /// </summary>
    public static string AppDump(string database) => WithoutCounter(Dump(database));

    public static string WithoutCounter(string dump) =>
        string.Join('\n', dump.Split('\n').Where(line => !line.StartsWith("INSERT INTO _litestream_seq ", StringComparison.Ordinal)));
}
