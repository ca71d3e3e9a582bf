using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.Capture;

/// <summary>Writes the L0 file a plan describes into the local store: pages from WAL frames or the database file, temp + fsync + rename.</summary>
public static class L0Writer
{
    /// <summary>Writes the file; <paramref name="database"/> is the capture's long-lived handle (never closed here).</summary>
    public static CapturePosition Write(L0Plan plan, FileStream database, LocalLtxStore store, DateTimeOffset timestamp)
    {
        using var wal = plan.WalPages.Count > 0
            ? WalSyncPlanner.OpenShared(database.Name + "-wal") ?? throw new StorageException($"WAL disappeared: {database.Name}-wal")
            : null;
        var header = LtxHeader.Create(plan.PageSize, plan.Commit, plan.Txid, plan.Txid, timestamp) with
        {
            WalOffset = plan.WalOffset,
            WalSize = plan.WalSize,
            WalSalt1 = plan.Salt1,
            WalSalt2 = plan.Salt2,
        };
        var pages = plan.WalPages.Keys.Concat(plan.DatabaseFilePages).Order().ToList();
        var temp = store.PathOf(plan.Txid) + ".tmp";
        var page = new byte[plan.PageSize];
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using (var encoder = new LtxEncoder(output, header))
            {
                foreach (var pgno in pages)
                {
                    if (plan.WalPages.TryGetValue(pgno, out var frameOffset))
                    {
                        RandomAccess.Read(wal!.SafeFileHandle, page, frameOffset + WalFrameHeader.Size);
                    }
                    else
                    {
                        Array.Clear(page);
                        RandomAccess.Read(database.SafeFileHandle, page, (long)(pgno - 1) * plan.PageSize);
                    }
                    encoder.WritePage(pgno, page);
                }
                encoder.Finish();
            }
            output.Flush(flushToDisk: true);
        }
        store.Commit(temp, plan.Txid);
        return plan.Position;
    }
}
