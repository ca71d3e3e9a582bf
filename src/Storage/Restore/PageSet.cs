namespace LitestreamActors.Storage.Restore;

/// <summary>A growable bitmap of page numbers: which pages a restore has written (1 bit per page).</summary>
internal sealed class PageSet
{
    private ulong[] _bits = new ulong[1024];

    public void Add(uint pgno)
    {
        var word = (int)(pgno >> 6);
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        }
        _bits[word] |= 1UL << (int)(pgno & 63);
    }

    public bool Contains(uint pgno)
    {
        var word = (int)(pgno >> 6);
        return word < _bits.Length && (_bits[word] & (1UL << (int)(pgno & 63))) != 0;
    }

    /// <summary>The first page in 1..last, other than <paramref name="skip"/>, that was never written; null when none.</summary>
    public uint? FirstMissing(uint last, uint skip)
    {
        for (uint pgno = 1; pgno <= last; pgno++)
        {
            if (pgno != skip && !Contains(pgno))
            {
                return pgno;
            }
        }
        return null;
    }
}
