using System.Buffers.Binary;

namespace LitestreamActors.Storage.Wal;

/// <summary>SQLite's WAL checksum: a running pair of u32 sums over 8-byte units, in the byte order the magic selects.</summary>
public static class WalChecksum
{
    public static (uint S0, uint S1) Update((uint S0, uint S1) seed, ReadOnlySpan<byte> data, bool bigEndian)
    {
        var (s0, s1) = seed;
        if (bigEndian)
        {
            for (var i = 0; i + 8 <= data.Length; i += 8)
            {
                s0 += BinaryPrimitives.ReadUInt32BigEndian(data[i..]) + s1;
                s1 += BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]) + s0;
            }
        }
        else
        {
            for (var i = 0; i + 8 <= data.Length; i += 8)
            {
                s0 += BinaryPrimitives.ReadUInt32LittleEndian(data[i..]) + s1;
                s1 += BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]) + s0;
            }
        }
        return (s0, s1);
    }
}
