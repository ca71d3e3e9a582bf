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
}
