using System.Diagnostics;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// Proves a replica restorable: restores one TXID to a scratch file, runs <c>PRAGMA integrity_check</c>, and compares
/// the result's page checksum with the source database's at that TXID as SQLite itself read it (the capture's full
/// check, in its read transaction at that TXID), so a wrong L0 file fails the drill whoever wrote it. The scratch file
/// is removed whatever happens.
/// </summary>
public static class RestoreDrill
{
    /// <returns>The outcome; <see cref="RestoreDrillOutcome.Problem"/> says why when the drill failed.</returns>
    public static async Task<RestoreDrillOutcome> RunAsync(
        IReplicaClient client, ulong txid, ulong sourceChecksum, string scratchPath, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var target = new RestoreTarget(txid, null);
        try
        {
            var plan = await RestorePlanner.PlanAsync(client, target, cancellationToken);
            var result = await DatabaseRestorer.RestoreAsync(
                client, plan, scratchPath, IntegrityCheckMode.Full, overwrite: true, cancellationToken, ct => RestorePlanner.PlanAsync(client, target, ct));
            var restored = PageChecksum.OfDatabaseFile(result.OutputPath);
            var problem = restored == sourceChecksum
                ? null
                : $"restored database checksum {restored:x16} differs from the source's {sourceChecksum:x16} at TXID {Txid.Format(txid)}";
            return new RestoreDrillOutcome(txid, plan.Files[^1].CreatedAt, stopwatch.Elapsed, problem);
        }
        catch (Exception e) when (e is StorageException or IOException)
        {
            return new RestoreDrillOutcome(txid, null, stopwatch.Elapsed, e.Message);
        }
        finally
        {
            foreach (var suffix in new[] { string.Empty, ".tmp", "-wal", "-shm", "-journal" })
            {
                File.Delete(scratchPath + suffix);
            }
        }
    }
}
