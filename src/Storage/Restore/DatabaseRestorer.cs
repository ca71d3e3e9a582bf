using System.Diagnostics;
using LitestreamActors.Storage.IO;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// Applies a restore plan: streams each file's pages into <c>&lt;output&gt;.tmp</c> at their offsets (later files win, as a
/// merge would), checks that every page of the final database was written, truncates to the final size, fsyncs,
/// optionally runs SQLite's integrity check, then renames over the output and fsyncs the folder. On any failure the
/// temp file is removed and the output is untouched. Memory stays bounded whatever the database size.
/// </summary>
public static class DatabaseRestorer
{
    private const int ReadBufferSize = 256 << 10;
    private const int WriteBatchSize = 256 << 10;
    private const int WriteDepth = 8;

    private const int MaxReplans = 10;

    /// <summary>Batches of pages decoding at once when the caller does not say (restore's <c>-parallelism</c> does).</summary>
    public const int DefaultParallelism = 4;

    // Below the writer's depth: batches waiting for the disk must always find a buffer.
    private const int MaxParallelism = WriteDepth - 2;

    /// <param name="replan">
    /// Plans again when a planned file disappears mid-restore (retention deleted it once a newer file covered it). The
    /// files the new plan shares with the old one from the start are not applied again: the new plan's later files
    /// cover every TXID after them, so they overwrite whatever the old plan's later files left. Null fails on a
    /// missing file.
    /// </param>
    public static async Task<RestoreResult> RestoreAsync(
        IReplicaClient client, RestorePlan plan, string outputPath, IntegrityCheckMode integrityCheck, bool overwrite, CancellationToken cancellationToken,
        Func<CancellationToken, Task<RestorePlan>>? replan = null, int parallelism = DefaultParallelism)
    {
        parallelism = Math.Clamp(parallelism, 1, MaxParallelism);
        var stopwatch = Stopwatch.StartNew();
        outputPath = Path.GetFullPath(outputPath);
        return await RestoredFile.WriteAsync(outputPath, integrityCheck, overwrite, async temp =>
        {
            (RestorePlan Applied, uint Commit, int Replans) written;
            try
            {
                written = await WritePagesAsync(client, plan, temp, replan, parallelism, cancellationToken);
            }
            catch (LtxFormatException)
            {
                // Bytes can be damaged in flight: everything is read once more into a fresh temp file (pages already written
                // from a damaged file may sit anywhere), and a second failure is the error.
                written = await WritePagesAsync(client, plan, temp, replan, parallelism, cancellationToken);
            }
            var (applied, commit, replans) = written;
            return new RestoreResult(outputPath, applied.MaxTxid, commit, applied.Files.Count, stopwatch.Elapsed) { Replans = replans };
        });
    }

    private static async Task<(RestorePlan Applied, uint Commit, int Replans)> WritePagesAsync(
        IReplicaClient client, RestorePlan plan, string temp, Func<CancellationToken, Task<RestorePlan>>? replan, int parallelism, CancellationToken cancellationToken)
    {
        using var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        var written = new PageSet();
        uint pageSize = 0;
        uint commit = 0;
        var replans = 0;
        // As many files in flight as batches decoding at once: -parallelism 1 opens no file ahead.
        await using var prefetch = new FilePrefetch(client, ReadBufferSize, parallelism - 1);
        using (var writer = new PipelinedPageWriter(handle, WriteBatchSize, WriteDepth))
        {
            var next = 0;
            while (next < plan.Files.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var file = plan.Files[next];
                try
                {
                    await using var opened = await prefetch.OpenAsync(file, cancellationToken);
                    await prefetch.AheadAsync(plan.Files, next, cancellationToken);
                    var header = opened.Decoder.Header;
                    if (pageSize != 0 && header.PageSize != pageSize)
                    {
                        throw new LtxFormatException($"{file.DisplayName}: page size {header.PageSize} differs from {pageSize} of earlier files");
                    }
                    pageSize = header.PageSize;
                    ParallelPageApplier.Apply(opened.Decoder, writer, written, parallelism, file.DisplayName);
                    commit = header.Commit;
                    next++;
                    if (next < plan.Files.Count)
                    {
                        CrashSwitch.At(CrashSwitch.RestoreMid);
                    }
                }
                catch (ReplicaFileNotFoundException) when (replan is not null && replans < MaxReplans)
                {
                    replans++;
                    var previous = plan;
                    plan = await replan(cancellationToken);
                    next = SharedPrefix(previous, plan, next);
                    if (next == 0)
                    {
                        written = new PageSet();
                        pageSize = 0;
                    }
                }
            }
            writer.Complete();
        }

        if (written.FirstMissing(commit, SqlitePages.LockPgno(pageSize)) is { } missing)
        {
            throw new RestoreException($"replica files do not hold page {missing} of the {commit}-page database");
        }
        RandomAccess.SetLength(handle, (long)commit * pageSize);
        RandomAccess.FlushToDisk(handle);
        return (plan, commit, replans);
    }

    // How many leading files of the new plan were already applied from the old one.
    private static int SharedPrefix(RestorePlan previous, RestorePlan current, int applied)
    {
        var shared = 0;
        while (shared < applied && shared < current.Files.Count
            && (previous.Files[shared].Level, previous.Files[shared].MinTxid, previous.Files[shared].MaxTxid)
                == (current.Files[shared].Level, current.Files[shared].MinTxid, current.Files[shared].MaxTxid))
        {
            shared++;
        }
        return shared;
    }
}
