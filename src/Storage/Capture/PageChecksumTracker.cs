using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The database as our L0 files claim it at the last captured TXID, one checksum per page (8 bytes each), kept up to
/// date from the pages each file carries. Complete only from a full read on: a full L0 file, or the database read
/// once after a resume. The full capture check compares it with the database as SQLite reads it.
/// </summary>
public sealed class PageChecksumTracker
{
    private ulong[] _pages = [];
    private ulong _xor;
    private uint _highest;

    public bool IsComplete { get; private set; }

    /// <summary>The database checksum at the last captured TXID; null until complete.</summary>
    public ulong? DatabaseChecksum => IsComplete ? LtxChecksum.Flag | _xor : null;

    /// <summary>Starts over: the pages that follow are the whole database.</summary>
    public void BeginFull()
    {
        Array.Clear(_pages);
        _xor = 0;
        _highest = 0;
        IsComplete = true;
    }

    /// <summary>The database size in pages the tracked state has.</summary>
    public uint PageCount => _highest;

    /// <summary>A page's checksum in the tracked state; zero when it has none.</summary>
    public ulong PageSum(uint pgno) => pgno >= 1 && pgno <= _pages.Length ? _pages[pgno - 1] : 0;

    public void Set(uint pgno, ReadOnlySpan<byte> page)
    {
        if (!IsComplete)
        {
            return;
        }
        if (pgno > _pages.Length)
        {
            Array.Resize(ref _pages, (int)Math.Max(pgno, Math.Min(int.MaxValue, (long)_pages.Length * 2)));
        }
        var sum = PageChecksum.Of(pgno, page);
        _xor ^= _pages[pgno - 1] ^ sum;
        _pages[pgno - 1] = sum;
        _highest = Math.Max(_highest, pgno);
    }

    /// <summary>The database now has <paramref name="commit"/> pages: the ones past it no longer count.</summary>
    public void Truncate(uint commit)
    {
        for (var pgno = commit + 1; pgno <= _highest; pgno++)
        {
            _xor ^= _pages[pgno - 1];
            _pages[pgno - 1] = 0;
        }
        _highest = Math.Min(_highest, commit);
    }

    /// <summary>Each page's checksum, page 1 first, through <see cref="PageCount"/> (zero for the lock page).</summary>
    public ReadOnlySpan<ulong> Pages => _pages.AsSpan(0, (int)_highest);

    /// <summary>Starts from a state kept earlier (<see cref="PageStateFile"/>): complete from here on.</summary>
    public void Load(ReadOnlySpan<ulong> pages)
    {
        BeginFull();
        _pages = pages.ToArray();
        _highest = (uint)pages.Length;
        foreach (var sum in pages)
        {
            _xor ^= sum;
        }
    }

    /// <summary>A write failed part-way: what was applied no longer matches a TXID.</summary>
    public void Invalidate() => IsComplete = false;
}
