using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The L0 file a plan describes, written as a temp file in the local store and fsynced; publishing it (the rename) is
/// the capture's step, after its check. Disposed unfinished, the temp file is deleted.
/// </summary>
public sealed class L0FileWriter : IDisposable
{
    /// <summary>Bytes of pages a reader hands the encoder at a time.</summary>
    public const int RunBytes = 1 << 20;

    // From this many bytes of pages on, a run is encoded across the cores: below it, handing out the work costs more.
    private const int ParallelBytes = 256 << 10;

    private readonly FileStream _output;
    private readonly LtxEncoder _encoder;
    private readonly IO.WriteBehind _writeBehind;
    private bool _finished;

    private L0FileWriter(string tempPath, FileStream output, LtxEncoder encoder)
    {
        TempPath = tempPath;
        _output = output;
        _encoder = encoder;
        _writeBehind = new IO.WriteBehind(output.SafeFileHandle);
    }

    public string TempPath { get; }

    public static L0FileWriter Create(L0Plan plan, LocalLtxStore store, DateTimeOffset timestamp)
    {
        var header = LtxHeader.Create(plan.PageSize, plan.Commit, plan.Txid, plan.Txid, timestamp) with
        {
            WalOffset = plan.WalOffset,
            WalSize = plan.WalSize,
            WalSalt1 = plan.Salt1,
            WalSalt2 = plan.Salt2,
        };
        var temp = store.PathOf(plan.Txid) + ".tmp";
        var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, IO.StreamBufferSize.For((long)plan.PageCount * plan.PageSize));
        try
        {
            return new L0FileWriter(temp, output, new LtxEncoder(output, header));
        }
        catch
        {
            output.Dispose();
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>The whole file for a plan, its pages read from <paramref name="pages"/>; returns the temp file's path.</summary>
    public static string WriteTemp(L0Plan plan, IEnumerable<(uint Pgno, byte[] Page)> pages, LocalLtxStore store, DateTimeOffset timestamp)
    {
        using var writer = Create(plan, store, timestamp);
        using var run = new PageRun((int)plan.PageSize, (int)Math.Min(RunBytes, (long)Math.Max(1, plan.PageCount) * plan.PageSize));
        foreach (var (pgno, page) in pages)
        {
            run.Add(pgno, page);
            if (run.IsFull)
            {
                writer.Write(run);
                run.Clear();
            }
        }
        writer.Write(run);
        return writer.Finish();
    }

    /// <summary>The pages of <paramref name="run"/>, after those written before; a run of many (a full file's, a large transaction's) is encoded on every core.</summary>
    public void Write(PageRun run)
    {
        if ((long)run.Count * run.PageSize >= ParallelBytes && Environment.ProcessorCount > 1)
        {
            _encoder.WritePages(run);
        }
        else
        {
            for (var i = 0; i < run.Count; i++)
            {
                _encoder.WritePage(run.Pgno(i), run.Page(i));
            }
        }
        if (_output.Position >= _writeBehind.Next)
        {
            _output.Flush();
            _writeBehind.Written(_output.Position);
        }
    }

    /// <summary>Writes the index and trailer, fsyncs and closes the file; returns its path.</summary>
    public string Finish()
    {
        _encoder.Finish();
        _output.Flush(flushToDisk: true);
        _finished = true;
        _encoder.Dispose();
        _output.Dispose();
        return TempPath;
    }

    public void Dispose()
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        try
        {
            _encoder.Dispose();
            _output.Dispose();
        }
        catch (IOException)
        {
            // The file is abandoned: flushing what was buffered can fail again (a full disk); the handle is closed anyway.
        }
        File.Delete(TempPath);
    }
}
