using K4os.Compression.LZ4.Streams;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Restore;
using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.V3;

/// <summary>
/// Restores a Litestream 0.3 backup: the snapshot image, then each WAL index's segments joined (offsets must follow
/// on without a gap) and applied as SQLite's checkpoint would — every committed frame's page written in place, the
/// file cut to the last commit's size. Temp file, fsync, integrity check, rename, as every restore.
/// </summary>
public static class V3Restorer
{
    public static async Task<V3RestoreResult> RestoreAsync(
        IReplicaClient client, V3RestorePlan plan, string outputPath, IntegrityCheckMode integrityCheck, bool overwrite, CancellationToken cancellationToken)
    {
        outputPath = Path.GetFullPath(outputPath);
        return await RestoredFile.WriteAsync(outputPath, integrityCheck, overwrite, async temp =>
        {
            await using (var database = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                await DecompressAsync(client, plan.Snapshot.Path, database, cancellationToken);
                foreach (var index in plan.Segments.GroupBy(s => s.Index))
                {
                    await ApplyIndexAsync(client, index.ToList(), database, temp + "-wal-" + index.Key.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
                }
                database.Flush(flushToDisk: true);
            }
            return new V3RestoreResult(outputPath, plan.Snapshot.Generation, plan.Segments.Count > 0 ? plan.Segments[^1].Index : plan.Snapshot.Index, plan.Segments.Count);
        });
    }

    private static async Task ApplyIndexAsync(IReplicaClient client, IReadOnlyList<V3WalSegment> segments, FileStream database, string scratch, CancellationToken cancellationToken)
    {
        try
        {
            await using var wal = new FileStream(scratch, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            foreach (var segment in segments)
            {
                if (segment.Offset != wal.Length)
                {
                    throw new RestoreException($"{segment.Path}: starts at WAL offset {segment.Offset}, but the segments before it end at {wal.Length}");
                }
                await DecompressAsync(client, segment.Path, wal, cancellationToken);
            }
            wal.Position = 0;
            var reader = WalReader.Open(wal) ?? throw new RestoreException($"{segments[0].Path}: not a SQLite WAL");
            var range = reader.ReadCommitted();
            var page = new byte[reader.Header.PageSize];
            foreach (var (pgno, offset) in range.PageOffsets)
            {
                RandomAccess.Read(wal.SafeFileHandle, page, offset + WalFrameHeader.Size);
                RandomAccess.Write(database.SafeFileHandle, page, (long)(pgno - 1) * page.Length);
            }
            if (range.Commit > 0)
            {
                database.SetLength((long)range.Commit * page.Length);
            }
        }
        catch (IOException e)
        {
            throw new RestoreException($"{segments[0].Path}: {e.Message}");
        }
    }

    private static async Task DecompressAsync(IReplicaClient client, string path, Stream destination, CancellationToken cancellationToken)
    {
        await using var compressed = await client.OpenObjectAsync(path, cancellationToken);
        try
        {
            await using var frame = LZ4Stream.Decode(compressed, leaveOpen: true);
            await frame.CopyToAsync(destination, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new RestoreException($"{path}: not a valid LZ4 frame: {e.Message}");
        }
    }
}
