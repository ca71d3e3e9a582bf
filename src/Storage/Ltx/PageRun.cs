namespace LitestreamActors.Storage.Ltx;

/// <summary>
/// Pages in ascending order, their bytes back to back in one pooled buffer: what an L0 file's reader hands its encoder
/// a batch at a time without an array per page (docs/performance.md, "Catch-up"). Disposing returns the buffer.
/// </summary>
public sealed class PageRun : IDisposable
{
    private readonly uint[] _pgnos;
    private byte[]? _data;

    /// <param name="capacityBytes">Room for this many bytes of pages (at least one page).</param>
    public PageRun(int pageSize, int capacityBytes)
    {
        PageSize = pageSize;
        Capacity = Math.Max(1, capacityBytes / pageSize);
        _pgnos = new uint[Capacity];
        _data = RunBuffers.Pool.Rent(Capacity * pageSize);
    }

    public int PageSize { get; }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    public void Add(uint pgno, ReadOnlySpan<byte> page)
    {
        if (page.Length != PageSize)
        {
            throw new ArgumentException($"page {pgno} is {page.Length} bytes, expected {PageSize}");
        }
        if (IsFull)
        {
            throw new InvalidOperationException("the run is full");
        }
        _pgnos[Count] = pgno;
        page.CopyTo(Data.AsSpan(Count * PageSize));
        Count++;
    }

    /// <summary>Empties the run to fill it again, keeping its buffer.</summary>
    public void Clear() => Count = 0;

    public uint Pgno(int i) => _pgnos[i];

    public ReadOnlySpan<byte> Page(int i) => Data.AsSpan(i * PageSize, PageSize);

    public void Dispose()
    {
        if (_data is { } data)
        {
            _data = null;
            RunBuffers.Pool.Return(data);
        }
    }

    private byte[] Data => _data ?? throw new ObjectDisposedException(nameof(PageRun));
}
