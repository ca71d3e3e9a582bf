using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.V3;

/// <summary>
/// Converts a Litestream 0.3 backup into L0 LTX files with the original timestamps, so restores to a point in time
/// keep working across the switch: each generation's first snapshot becomes a full file (TXID 1 a snapshot), each WAL
/// segment that completes transactions the file of its changed pages. TXIDs follow from the backup alone, so a run
/// stopped part-way resumes after the newest L0 file the destination holds, and a finished one writes nothing again.
/// The 0.3 backup is only read.
/// </summary>
public static class V3Migrator
{
    public static async Task<V3MigrationResult> MigrateAsync(
        IReplicaClient source, IReplicaClient destination, string scratchDirectory, Action<ulong, string> written, CancellationToken cancellationToken)
    {
        var backup = await V3Backup.ListAsync(source, cancellationToken);
        if (backup.IsEmpty)
        {
            throw new Restore.NoBackupsException($"no Litestream 0.3 backup (generations/) in {source.DisplayLocation}");
        }
        var existing = (await destination.ListAsync(0, cancellationToken)).Select(f => f.MaxTxid).DefaultIfEmpty(0UL).Max();
        Directory.CreateDirectory(scratchDirectory);
        var scratch = Path.Combine(scratchDirectory, "migrate.db");
        ulong txid = 0;
        var count = 0;
        await using (var database = new FileStream(scratch, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
        {
            foreach (var generation in backup.Generations.OrderBy(g => backup.Snapshots.Where(s => s.Generation == g).Select(s => s.CreatedAt).DefaultIfEmpty(DateTimeOffset.MaxValue).Min()))
            {
                var snapshot = backup.Snapshots.Where(s => s.Generation == generation).MinBy(s => s.Index);
                if (snapshot is null)
                {
                    continue;
                }
                database.SetLength(0);
                await V3WalIndex.DecompressAsync(source, snapshot.Path, database, cancellationToken);
                txid++;
                if (txid > existing)
                {
                    await WriteFullAsync(destination, database, txid, snapshot.CreatedAt, cancellationToken);
                    written(txid, snapshot.Path);
                    count++;
                }
                foreach (var index in backup.Segments.Where(s => s.Generation == generation && s.Index >= snapshot.Index).GroupBy(s => s.Index))
                {
                    await using var wal = new V3WalIndex(Path.Combine(scratchDirectory, "migrate.wal"));
                    foreach (var segment in index)
                    {
                        var range = await wal.AppendAsync(source, segment, cancellationToken);
                        if (range.IsEmpty)
                        {
                            continue;
                        }
                        wal.ApplyTo(database, range);
                        txid++;
                        if (txid > existing)
                        {
                            await WriteChangesAsync(destination, Path.Combine(scratchDirectory, "migrate.ltx"), wal, range, txid, segment.CreatedAt, cancellationToken);
                            written(txid, segment.Path);
                            count++;
                        }
                    }
                }
            }
        }
        return new V3MigrationResult(txid, count, (int)Math.Min(existing, txid));
    }

    private static async Task WriteFullAsync(IReplicaClient destination, FileStream database, ulong txid, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var pageSize = Capture.SqlitePageSize.Read(database) ?? throw new StorageException("a Litestream 0.3 snapshot holds an empty database");
        var commit = (uint)(database.Length / pageSize);
        var lockPgno = SqlitePages.LockPgno(pageSize);
        var page = new byte[pageSize];
        await WriteAsync(destination, Path.ChangeExtension(database.Name, ".ltx"), LtxHeader.Create(pageSize, commit, txid, txid, at), txid, at, encoder =>
        {
            for (uint pgno = 1; pgno <= commit; pgno++)
            {
                if (pgno != lockPgno)
                {
                    RandomAccess.Read(database.SafeFileHandle, page, (long)(pgno - 1) * pageSize);
                    encoder.WritePage(pgno, page);
                }
            }
        }, cancellationToken);
    }

    private static Task WriteChangesAsync(IReplicaClient destination, string scratch, V3WalIndex wal, Wal.WalCommittedRange range, ulong txid, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var lockPgno = SqlitePages.LockPgno(wal.PageSize);
        var page = new byte[wal.PageSize];
        return WriteAsync(destination, scratch, LtxHeader.Create(wal.PageSize, range.Commit, txid, txid, at), txid, at, encoder =>
        {
            foreach (var (pgno, offset) in range.PageOffsets.Where(p => p.Key != lockPgno).OrderBy(p => p.Key))
            {
                wal.ReadPage(offset, page);
                encoder.WritePage(pgno, page);
            }
        }, cancellationToken);
    }

    // Through a scratch file, not memory: a full file is the size of the database.
    private static async Task WriteAsync(
        IReplicaClient destination, string scratch, LtxHeader header, ulong txid, DateTimeOffset at, Action<LtxEncoder> pages, CancellationToken cancellationToken)
    {
        await using var buffer = new FileStream(scratch, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        using (var encoder = new LtxEncoder(buffer, header))
        {
            pages(encoder);
            encoder.Finish();
        }
        buffer.Position = 0;
        await destination.WriteAsync(0, txid, txid, buffer, at, cancellationToken);
    }
}
