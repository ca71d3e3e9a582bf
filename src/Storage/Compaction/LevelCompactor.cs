using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Compaction;

/// <summary>
/// Upstream's compaction of one level: the files of the level below that follow the level's newest TXID, taken while
/// contiguous, merged (latest page wins) into one file uploaded at the level. Level 1 reads the local L0 copies when
/// they are still there and the replica otherwise. The merged file keeps its newest input's timestamp.
/// </summary>
public sealed class LevelCompactor(IReplicaClient client, LocalLtxStore? local, string scratchDirectory)
{
    // The newest TXID known at each level (0 = unknown), so an idle database costs no listing: a level whose source
    // has not moved since its last run is skipped without asking the replica.
    private readonly long[] _known = new long[LtxFileInfo.MaxLevel + 1];

    /// <summary>Tells the compactor a file up to <paramref name="txid"/> now exists at <paramref name="level"/>.</summary>
    public void Note(int level, ulong txid)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _known[level]);
        }
        while ((ulong)seen < txid && Interlocked.CompareExchange(ref _known[level], (long)txid, seen) != seen);
    }

    /// <summary>The newest TXID known at a level; 0 when not known yet.</summary>
    public ulong Known(int level) => (ulong)Interlocked.Read(ref _known[level]);

    /// <returns>The file written, or null when the level below holds nothing new.</returns>
    public async Task<LtxFileInfo?> CompactAsync(int level, CancellationToken cancellationToken)
    {
        var below = (ulong)Interlocked.Read(ref _known[level - 1]);
        var here = (ulong)Interlocked.Read(ref _known[level]);
        if (below != 0 && here != 0 && below <= here)
        {
            return null;
        }
        var destination = await client.ListAsync(level, cancellationToken);
        var current = destination.Count == 0 ? 0 : destination.Max(f => f.MaxTxid);
        Note(level, current);
        var run = new List<LtxFileInfo>();
        foreach (var file in await client.ListAsync(level - 1, cancellationToken))
        {
            if (file.MaxTxid <= current)
            {
                continue;
            }
            if (run.Count == 0 && !LtxCompactor.IsContiguous(current, file.MinTxid, file.MaxTxid) && await SnapshotCoversAsync(file.MinTxid - 1, cancellationToken))
            {
                // Snapshot retention removed what this level had not merged yet: a snapshot covers the gap, go on after it.
                current = file.MinTxid - 1;
            }
            if (!LtxCompactor.IsContiguous(current, file.MinTxid, file.MaxTxid))
            {
                break;
            }
            run.Add(file);
            current = file.MaxTxid;
        }
        if (run.Count == 0)
        {
            Note(level - 1, current);
            return null;
        }

        var written = await MergedFileWriter.WriteAsync(client, run, level, scratchDirectory, OpenAsync, cancellationToken);
        CrashSwitch.At(CrashSwitch.CompactionAfterUpload);
        Note(level, written.MaxTxid);
        return written;
    }

    private async Task<bool> SnapshotCoversAsync(ulong txid, CancellationToken cancellationToken) =>
        (await client.ListAsync(LtxFileInfo.SnapshotLevel, cancellationToken)).Any(s => s.MaxTxid >= txid);

    private async Task<Stream> OpenAsync(LtxFileInfo file, CancellationToken cancellationToken)
    {
        if (file.Level == 0 && local is not null && File.Exists(local.PathOf(file.MaxTxid)))
        {
            try
            {
                return IO.SmallFileReader.Open(local.PathOf(file.MaxTxid), FileShare.Read | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                // Removed by L0 cleanup a moment ago: the replica has it.
            }
        }
        return await client.OpenAsync(file.Level, file.MinTxid, file.MaxTxid, 0, null, cancellationToken);
    }
}
