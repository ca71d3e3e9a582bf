using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Capture;

/// <summary>Writes the L0 file a plan describes as a temp file in the local store, fsynced; publishing it is the caller's step.</summary>
public static class L0Writer
{
    /// <summary>Writes the temp file; every page also goes to <paramref name="onPage"/> (the buffer is reused). Returns its path.</summary>
    public static string WriteTemp(L0Plan plan, ICapturePageSource pages, LocalLtxStore store, DateTimeOffset timestamp, Action<uint, byte[]> onPage)
    {
        var header = LtxHeader.Create(plan.PageSize, plan.Commit, plan.Txid, plan.Txid, timestamp) with
        {
            WalOffset = plan.WalOffset,
            WalSize = plan.WalSize,
            WalSalt1 = plan.Salt1,
            WalSalt2 = plan.Salt2,
        };
        var temp = store.PathOf(plan.Txid) + ".tmp";
        try
        {
            using var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            using (var encoder = new LtxEncoder(output, header))
            {
                pages.ReadPages(plan, (pgno, page) =>
                {
                    encoder.WritePage(pgno, page);
                    onPage(pgno, page);
                });
                encoder.Finish();
            }
            output.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return temp;
    }
}
