namespace LitestreamActors.TestSupport;

/// <summary>The ledger load written by Python's <c>sqlite3</c> module (<c>tests/writers/ledger_writer.py</c>), one thread and connection per writer.</summary>
public static class PythonLedgerWriter
{
    public static void Run(string database, LedgerLoad load)
    {
        if (load.ShrinkEvery > 0)
        {
            throw new ArgumentException("the Python writer does not shrink the database", nameof(load));
        }
        ProcessRunner.Run("python3", [
            Path.Combine(RepositoryPaths.Root, "tests", "writers", "ledger_writer.py"), database,
            .. new[] { load.Connections, load.Transactions, load.Rows, load.BlobBytes, load.Rate, load.AutoCheckpoint }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], timeoutSeconds: 600).EnsureSuccess("python3 ledger_writer.py");
    }

    /// <summary>
    /// Starts two connections committing 2 rows of 64 bytes per transaction at <paramref name="rate"/> transactions a
    /// second over both, for <paramref name="seconds"/>, alongside the test; its stderr holds any failure.
    /// </summary>
    public static System.Diagnostics.Process Start(string database, int rate, int seconds) =>
        System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("python3",
            [Path.Combine(RepositoryPaths.Root, "tests", "writers", "ledger_writer.py"), database, "2", "1000000", "2", "64",
             rate.ToString(System.Globalization.CultureInfo.InvariantCulture), "-1", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
        })!;
}
