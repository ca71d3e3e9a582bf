using System.Globalization;
using LitestreamActors.Storage.Sqlite;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// <c>replicate</c> under writers as fast as SQLite commits (Python's sqlite3, Microsoft.Data.Sqlite; 1 and 4
/// connections; 1-row and 1,000-row transactions; paced and saturating; wal_autocheckpoint default, 0 and 100; the
/// application's own checkpoints of every mode; a database growing past 1 GB; DELETE and VACUUM shrinking it). Each run
/// ends with the latest restore equal to the source, restores at sampled TXIDs whose ledgers agree (any committed state
/// is internally consistent), no file that failed the capture check, and, for the saturating loads, Litestream 0.5.17's
/// reader reading our replica.
/// </summary>
[Collection(WriterMatrixCollection.Name)]
public sealed class WriterMatrixTests : IDisposable
{
    private const int SampledTxids = 6;
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> Cases => [.. Matrix.Keys];

    private static readonly Dictionary<string, WriterCase> Matrix = new()
    {
        ["python, 1 connection, 1-row transactions, saturating, autocheckpoint default"] = new("python", new(1, 30_000, 1, 1000), Interop: true),
        ["python, 4 connections, 1-row transactions, saturating, autocheckpoint 0"] = new("python", new(4, 15_000, 1, 1000, AutoCheckpoint: 0), Interop: true),
        ["python, 1 connection, 1000-row transactions, saturating, autocheckpoint 100"] = new("python", new(1, 900, 1000, 100, AutoCheckpoint: 100), Interop: true),
        ["python, 1 connection, 1-row transactions, paced 1000/s"] = new("python", new(1, 15_000, 1, 1000, Rate: 1000)),
        [".NET, 1 connection, 1-row transactions, saturating, autocheckpoint default"] = new("dotnet", new(1, 30_000, 1, 1000), Interop: true),
        [".NET, 4 connections, 1000-row transactions, saturating, autocheckpoint 100"] = new("dotnet", new(4, 450, 1000, 100, AutoCheckpoint: 100), Interop: true),
        [".NET, 4 connections, 1-row transactions, paced 1000/s, autocheckpoint 0"] = new("dotnet", new(4, 3_000, 1, 500, Rate: 1000, AutoCheckpoint: 0)),
        [".NET, saturating, the application's PASSIVE checkpoints"] = new("dotnet", new(1, 60_000, 1, 1000), AppCheckpoint: "PASSIVE", Interop: true),
        [".NET, saturating, the application's FULL checkpoints"] = new("dotnet", new(1, 60_000, 1, 1000), AppCheckpoint: "FULL", Interop: true),
        [".NET, saturating, the application's RESTART checkpoints"] = new("dotnet", new(1, 60_000, 1, 1000), AppCheckpoint: "RESTART", Interop: true),
        [".NET, saturating, the application's TRUNCATE checkpoints"] = new("dotnet", new(1, 20_000, 1, 1000), AppCheckpoint: "TRUNCATE", Interop: true),
        [".NET, DELETE and VACUUM shrink the database"] = new("dotnet", new(1, 20_000, 1, 1000, ShrinkEvery: 5_000), Shrinks: true),
        ["python, 1000-row transactions of 1 KB rows, the database grows past 1 GB"] = new("python", new(1, 1_100, 1000, 1000), Interop: true, Large: true),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_commit_restores_at_the_end_and_every_sampled_txid_is_consistent(string name)
    {
        var test = Matrix[name];
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        // Captures five times a second, so even a short run leaves many TXIDs to sample; the full check reads every page
        // through SQLite, on the large database less often.
        File.WriteAllText(config, $"verify:\n  capture-check-interval: {(test.Large ? "60s" : "3s")}\n"
            + $"dbs:\n  - path: {db}\n    monitor-interval: 200ms\n    replica:\n      path: {replica}\n");
        Sqlite3.Execute(db, Ledger.Schema);

        using var replicate = ReplicateProcess.Start("-config", config);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        await Write(db, test);
        LitestreamCli.Run("sync", "-config", config, "-wait", "-timeout", "300", db).EnsureSuccess("sync -wait");
        // Once idle, the full check also runs against what is published.
        Eventually.True(() => replicate.Output.Contains("capture check passed", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => replicate.Output);
        Assert.True(replicate.Stop() == 0, replicate.Output);
        Assert.DoesNotContain("capture check failed", replicate.Output, StringComparison.Ordinal);

        Assert.Null(Ledger.Problem(db));
        var latest = _dir.File("latest.db");
        LitestreamCli.Run("restore", "-integrity-check", test.Large ? "quick" : "full", "-o", latest, "file://" + replica).EnsureSuccess("restore");
        Assert.Equal(Ledger.Rows(db), Ledger.Rows(latest));
        if (test.Large)
        {
            Assert.True(new FileInfo(db).Length > 1L << 30, $"the database stayed at {new FileInfo(db).Length} bytes");
            Sqlite3.Execute(db, "PRAGMA wal_checkpoint(TRUNCATE);\n");
            Assert.Equal(PageChecksum.OfDatabaseFile(db), PageChecksum.OfDatabaseFile(latest));
        }
        else
        {
            Assert.Equal(Sqlite3.DumpDigest(db), Sqlite3.DumpDigest(latest));
        }

        // Each sample of the large database restores up to a gigabyte: four there.
        AssertSampledTxidsAreConsistent(replica, test.Shrinks, test.Large ? 4 : SampledTxids);
        if (test.Interop)
        {
            if (test.Large)
            {
                Assert.Null(Ledger.ProblemIn(LitestreamVfs.Run(replica, Ledger.DisagreementQuery, write: false).EnsureSuccess("litestream-vfs").StandardOutput));
                Assert.Equal(Ledger.Rows(db).ToString(CultureInfo.InvariantCulture), LitestreamVfs.Run(replica, Ledger.RowsQuery, write: false).StandardOutput.Trim());
            }
            else
            {
                Assert.Equal(Sqlite3.DumpDigest(db), LitestreamVfs.DumpDigest(replica));
            }
        }
    }

    public void Dispose() => _dir.Dispose();

    private static async Task Write(string db, WriterCase test)
    {
        await using var checkpoints = test.AppCheckpoint is { } mode ? new AppCheckpointer(db, mode, TimeSpan.FromMilliseconds(20)) : null;
        if (test.Writer == "python")
        {
            await Task.Run(() => PythonLedgerWriter.Run(db, test.Load));
        }
        else
        {
            await DotNetLedgerWriter.RunAsync(db, test.Load);
        }
    }

    // Restores at TXIDs spread over the run: each is a state some commit left, so every writer's rows agree with its
    // ledger; the rows only grow, unless the load deletes.
    private void AssertSampledTxidsAreConsistent(string replica, bool shrinks, int samples)
    {
        var max = ReplicaFiles.MaxL0Txid(replica);
        // TXID 1 holds the schema only: samples from the TXIDs the writers made, the last one among them.
        var sampled = Enumerable.Range(1, samples).Select(i => 1 + (ulong)i * (max - 1) / (ulong)samples).Where(t => t >= 2).Distinct().ToList();
        // A saturating run on a loaded machine can be short: four TXIDs apart still show restores between commits.
        Assert.True(sampled.Count >= 4, $"only {max} TXIDs to sample");
        var previous = 0L;
        foreach (var txid in sampled)
        {
            var output = _dir.File($"at-{txid:x16}.db");
            LitestreamCli.Run("restore", "-integrity-check", "quick", "-txid", txid.ToString("x16", CultureInfo.InvariantCulture), "-o", output, "file://" + replica)
                .EnsureSuccess($"restore -txid {txid:x16}");
            Assert.True(Ledger.Problem(output) is null, $"TXID {txid:x16}: {Ledger.Problem(output)}");
            var rows = Ledger.Rows(output);
            Assert.True(shrinks || rows >= previous, $"TXID {txid:x16} holds {rows} rows, an earlier one {previous}");
            previous = rows;
            File.Delete(output);
        }
    }

    private sealed record WriterCase(string Writer, LedgerLoad Load, string? AppCheckpoint = null, bool Interop = false, bool Large = false, bool Shrinks = false);
}
