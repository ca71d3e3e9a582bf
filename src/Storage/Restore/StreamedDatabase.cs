using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// A restored database received as a stream of its pages (a restore against the cluster, docs/cluster.md "Restore
/// against the cluster"): written to <c>&lt;output&gt;.tmp</c> while its LTX database checksum is summed, then checked
/// against the checksum the node sent and by <c>PRAGMA integrity_check</c>, fsynced and renamed, as every restore is.
/// A short, damaged or mismatched stream leaves nothing behind.
/// </summary>
public static class StreamedDatabase
{
    private const int HeaderSize = 100;

    /// <returns>The number of pages written.</returns>
    public static Task<uint> WriteAsync(Stream source, string outputPath, ulong expectedChecksum, bool overwrite, CancellationToken cancellationToken) =>
        RestoredFile.WriteAsync(Path.GetFullPath(outputPath), IntegrityCheckMode.Full, overwrite, async temp =>
        {
            await using var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            var header = new byte[HeaderSize];
            if (await source.ReadAtLeastAsync(header, HeaderSize, throwOnEndOfStream: false, cancellationToken) < HeaderSize)
            {
                throw new RestoreException("the node's stream ended before the database header");
            }
            var raw = (header[16] << 8) | header[17];
            var pageSize = raw == 1 ? 65536 : raw;
            if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
            {
                throw new RestoreException($"the node's stream does not start with a SQLite database header (page size {raw})");
            }
            var page = new byte[pageSize];
            header.CopyTo(page, 0);
            var filled = HeaderSize;
            var lockPgno = SqlitePages.LockPgno((uint)pageSize);
            ulong sum = 0;
            uint pgno = 0;
            while (true)
            {
                filled += await source.ReadAtLeastAsync(page.AsMemory(filled), pageSize - filled, throwOnEndOfStream: false, cancellationToken);
                if (filled == 0)
                {
                    break;
                }
                if (filled < pageSize)
                {
                    throw new RestoreException($"the node's stream ended inside page {pgno + 1}");
                }
                pgno++;
                if (pgno != lockPgno)
                {
                    sum ^= PageChecksum.Of(pgno, page);
                }
                await output.WriteAsync(page, cancellationToken);
                filled = 0;
            }
            var checksum = LtxChecksum.Flag | sum;
            if (checksum != expectedChecksum)
            {
                throw new RestoreException($"received database checksum {checksum:x16} differs from the node's {expectedChecksum:x16}");
            }
            await output.FlushAsync(cancellationToken);
            output.Flush(flushToDisk: true);
            return pgno;
        });
}
