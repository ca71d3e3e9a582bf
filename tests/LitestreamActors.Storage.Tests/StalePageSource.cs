using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// Fault injection around the real page source: hands out the first version it ever read of one page instead of the
/// current one (in incremental files only, so the full file that replaces a bad one is right), or fails part-way.
/// </summary>
public sealed class StalePageSource(ICapturePageSource inner) : ICapturePageSource
{
    private readonly Dictionary<uint, byte[]> _first = [];

    /// <summary>Which pages to hand out stale; null: none.</summary>
    public Func<uint, bool>? Stale { get; set; }

    /// <summary>Throw after handing out this many pages; null: never.</summary>
    public int? FailAfterPages { get; set; }

    public IEnumerable<(uint Pgno, byte[] Page)> Read(L0Plan plan)
    {
        var handed = 0;
        foreach (var (pgno, buffer) in inner.Read(plan))
        {
            if (FailAfterPages is { } limit && handed++ >= limit)
            {
                throw new IOException("injected read failure");
            }
            _first.TryAdd(pgno, buffer.ToArray());
            yield return (pgno, Stale?.Invoke(pgno) == true && !plan.IsSnapshot ? _first[pgno] : buffer);
        }
    }
}
