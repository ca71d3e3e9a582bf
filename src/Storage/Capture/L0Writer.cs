using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.Capture;

/// <summary>Writes the L0 file a plan describes into the local store: pages from WAL frames or the database file, temp + fsync + rename.</summary>
public static class L0Writer
{
    /// <summary>Writes the file; <paramref name="database"/> is the capture's long-lived handle (never closed here).</summary>
    public static CapturePosition Write(L0Plan plan, FileStream database, LocalLtxStore store, DateTimeOffset timestamp, PageChecksumTracker checksums)
    {
        var header = LtxHeader.Create(plan.PageSize, plan.Commit, plan.Txid, plan.Txid, timestamp) with
        {
            WalOffset = plan.WalOffset,
            WalSize = plan.WalSize,
            WalSalt1 = plan.Salt1,
            WalSalt2 = plan.Salt2,
        };
        var temp = store.PathOf(plan.Txid) + ".tmp";
        if (plan.IsSnapshot)
        {
            checksums.BeginFull();
        }
        try
        {
            using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var encoder = new LtxEncoder(output, header))
                {
                    ReadPages(plan, database, (pgno, page) =>
                    {
                        encoder.WritePage(pgno, page);
                        checksums.Set(pgno, page);
                    });
                    encoder.Finish();
                }
                output.Flush(flushToDisk: true);
            }
            checksums.Truncate(plan.Commit);
        }
        catch
        {
            checksums.Invalidate();
            throw;
        }
        store.Commit(temp, plan.Txid);
        return plan.Position;
    }

    /// <summary>Every page a plan names, in page order, read from its WAL frame or the database file.</summary>
    public static void ReadPages(L0Plan plan, FileStream database, Action<uint, byte[]> page)
    {
        using var wal = plan.WalPages.Count > 0
            ? WalSyncPlanner.OpenShared(database.Name + "-wal") ?? throw new StorageException($"WAL disappeared: {database.Name}-wal")
            : null;
        var buffer = new byte[plan.PageSize];
        foreach (var pgno in plan.WalPages.Keys.Concat(plan.DatabaseFilePages).Order())
        {
            if (plan.WalPages.TryGetValue(pgno, out var frameOffset))
            {
                RandomAccess.Read(wal!.SafeFileHandle, buffer, frameOffset + WalFrameHeader.Size);
            }
            else
            {
                Array.Clear(buffer);
                RandomAccess.Read(database.SafeFileHandle, buffer, (long)(pgno - 1) * plan.PageSize);
            }
            page(pgno, buffer);
        }
    }
}
