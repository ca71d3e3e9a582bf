using System.Collections.Concurrent;

namespace LitestreamActors.Storage.Checksums;

/// <summary>
/// <see cref="Crc64Iso.Combine"/> for one fixed length, its operator built once: appending a page's own CRC to a
/// running one costs at most 64 XORs instead of a dozen matrix squarings.
/// </summary>
public sealed class Crc64Shift
{
    private static readonly ConcurrentDictionary<long, Crc64Shift> Built = new();
    private readonly ulong[] _matrix = new ulong[64];

    public Crc64Shift(long length)
    {
        Length = length;
        for (var i = 0; i < 64; i++)
        {
            _matrix[i] = Crc64Iso.Advance(1UL << i, length);
        }
    }

    public long Length { get; }

    /// <summary>The operator for <paramref name="length"/>, built once per process (a page size).</summary>
    public static Crc64Shift For(long length) => Built.GetOrAdd(length, l => new Crc64Shift(l));

    /// <summary>The CRC of what <paramref name="first"/> covers followed by <see cref="Length"/> bytes whose own CRC is <paramref name="second"/>.</summary>
    public ulong Combine(ulong first, ulong second) => Crc64Iso.Times(_matrix, first) ^ second;
}
