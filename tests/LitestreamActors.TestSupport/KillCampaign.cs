using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.TestSupport;

/// <summary>
/// The random crash campaign (docs/reliability.md): a .NET writer commits throughout while <c>litestream replicate</c> is
/// started and killed with SIGKILL at a random moment, again and again; while the node is down the application
/// checkpoints (PASSIVE, FULL, TRUNCATE), runs VACUUM or does nothing. After every kill the replica's chain is checked;
/// every tenth kill the replica's latest state is restored and remembered. At the end the node syncs and stops, and the
/// replica must restore to the source's <c>.dump</c>, every remembered TXID to the state it had when it was remembered
/// (nothing synced was lost or rewritten), and Litestream 0.5.17's reader must read it.
/// </summary>
public sealed class KillCampaign(string executable, string directory, int seed)
{
    private static readonly string[] AppActions = ["none", "PASSIVE", "FULL", "TRUNCATE", "VACUUM"];

    private readonly Random _random = new(seed);
    private readonly string _db = Path.Combine(directory, "app.db");
    private readonly string _replica = Path.Combine(directory, "replica");
    private readonly string _config = Path.Combine(directory, "litestream.yml");

    /// <param name="maxDelay">
    /// Three kills in ten come at a uniformly random moment up to this after the start (most during start-up), the others
    /// up to this after the node has initialized its database (while it replicates).
    /// </param>
    public async Task<KillCampaignResult> RunAsync(int kills, TimeSpan maxDelay, LedgerLoad load)
    {
        var started = Stopwatch.StartNew();
        File.WriteAllText(_config, "levels:\n  - interval: 5s\n"
            + $"dbs:\n  - path: {_db}\n    monitor-interval: 250ms\n    min-checkpoint-page-count: 200\n    replica:\n      path: {_replica}\n      sync-interval: 100ms\n");
        Sqlite3.Execute(_db, Ledger.Schema);
        using var stop = new CancellationTokenSource();
        var writing = DotNetLedgerWriter.RunAsync(_db, load, stop.Token);
        var actions = AppActions.ToDictionary(a => a, _ => 0);
        var remembered = new List<(ulong Txid, string Digest)>();
        var killedBeforeReady = 0;
        for (var kill = 1; kill <= kills; kill++)
        {
            using (var node = ReplicateProcess.StartExecutable(executable, "-config", _config))
            {
                if (_random.NextDouble() >= 0.3)
                {
                    Eventually.True(() => node.HasExited || node.Output.Contains("initialized db", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
                }
                Thread.Sleep(TimeSpan.FromMilliseconds(_random.NextDouble() * maxDelay.TotalMilliseconds));
                if (node.HasExited)
                {
                    throw new InvalidOperationException(Failure(kill, $"the node exited by itself with {node.ExitCode()}\n{node.Output}"));
                }
                killedBeforeReady += node.Output.Contains("initialized db", StringComparison.Ordinal) ? 0 : 1;
                node.Kill9();
            }
            if (writing.IsCompleted)
            {
                await writing;
                throw new InvalidOperationException(Failure(kill, "the writer stopped"));
            }
            if (ReplicaFiles.ChainProblem(_replica) is { } broken && ReplicaFiles.MaxL0Txid(_replica) > 0)
            {
                throw new InvalidOperationException(Failure(kill, broken));
            }
            if (kill % 10 == 0 && ReplicaFiles.MaxL0Txid(_replica) > 0)
            {
                remembered.Add(RememberLatest(kill));
            }
            var action = AppActions[_random.Next(AppActions.Length)];
            actions[action]++;
            RunAppAction(action);
        }

        using (var node = ReplicateProcess.StartExecutable(executable, "-config", _config))
        {
            await stop.CancelAsync();
            await writing;
            Eventually.True(() => node.Output.Contains("socket listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(60), () => node.Output);
            ProcessRunner.Run(executable, ["sync", "-config", _config, "-wait", "-timeout", "300", _db], timeoutSeconds: 330).EnsureSuccess("sync -wait\n" + node.Output);
            if (node.Stop() != 0)
            {
                throw new InvalidOperationException(Failure(kills, "the last node did not stop cleanly\n" + node.Output));
            }
        }
        return Verify(kills, killedBeforeReady, actions, remembered, started.Elapsed);
    }

    private KillCampaignResult Verify(int kills, int killedBeforeReady, Dictionary<string, int> actions, List<(ulong Txid, string Digest)> remembered, TimeSpan elapsed)
    {
        Require(Ledger.Problem(_db) is null, "the source's ledger disagrees: " + Ledger.Problem(_db));
        Require(ReplicaFiles.ChainProblem(_replica) is null, "the final chain: " + ReplicaFiles.ChainProblem(_replica));
        var latest = Path.Combine(directory, "latest.db");
        Restore(latest, null);
        Require(Sqlite3.DumpDigest(latest) == Sqlite3.DumpDigest(_db), "the latest restore differs from the source");
        var restorable = ReplicaFiles.RestorableTxids(_replica).ToHashSet();
        var checkedTxids = 0;
        foreach (var (txid, digest) in remembered.Where(r => restorable.Contains(r.Txid)))
        {
            var output = Path.Combine(directory, $"again-{txid:x16}.db");
            Restore(output, txid);
            Require(Sqlite3.DumpDigest(output) == digest, $"TXID {txid:x16} restores to another state than it did when it was first synced");
            File.Delete(output);
            checkedTxids++;
        }
        Require(LitestreamVfs.DumpDigest(_replica) == Sqlite3.DumpDigest(_db), "Litestream 0.5.17's reader reads another state");
        return new KillCampaignResult(
            kills, killedBeforeReady, actions, Ledger.Rows(_db), ReplicaFiles.MaxL0Txid(_replica), remembered.Count, checkedTxids, elapsed, seed);
    }

    // The replica's latest state while the node is down: its TXID and .dump digest, and its ledger must agree.
    private (ulong, string) RememberLatest(int kill)
    {
        var txid = ReplicaFiles.MaxL0Txid(_replica);
        var output = Path.Combine(directory, $"at-{txid:x16}.db");
        Restore(output, txid);
        if (Ledger.Problem(output) is { } problem)
        {
            throw new InvalidOperationException(Failure(kill, $"TXID {txid:x16} restores inconsistent: {problem}"));
        }
        var digest = Sqlite3.DumpDigest(output);
        File.Delete(output);
        return (txid, digest);
    }

    private void Restore(string output, ulong? txid)
    {
        string[] target = txid is { } t ? ["-txid", t.ToString("x16", CultureInfo.InvariantCulture)] : [];
        ProcessRunner.Run(executable, ["restore", .. target, "-o", output, "file://" + _replica]).EnsureSuccess($"restore {string.Join(' ', target)} (seed {seed})");
    }

    // What the application does while the node is down: its own checkpoint of each kind, a VACUUM, or nothing.
    private void RunAppAction(string action)
    {
        if (action == "none")
        {
            return;
        }
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _db, Pooling = false, DefaultTimeout = 60 }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 60000; " + (action == "VACUUM" ? "VACUUM" : $"PRAGMA wal_checkpoint({action})");
        command.ExecuteNonQuery();
    }

    private string Failure(int kill, string what) => $"kill {kill} (seed {seed}): {what}";

    private void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"after the campaign (seed {seed}): {what}");
        }
    }
}
