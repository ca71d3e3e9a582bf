namespace LitestreamActors.Storage.Checksums;

/// <summary>
/// CRC-64 with the ISO polynomial as Go's hash/crc64 computes it (reflected, init and xorout all ones).
/// LTX file checksums use it; .NET's System.IO.Hashing.Crc64 is the ECMA variant and does not match.
/// </summary>
public static class Crc64Iso
{
    private const ulong ReflectedPolynomial = 0xD800000000000000UL;

    // Slicing-by-8 tables: Tables[0] is the classic byte table, Tables[k] advances k further zero bytes.
    private static readonly ulong[][] Tables = BuildTables();

    /// <summary>Continues a finished CRC value (0 for a fresh one) over more bytes, like Go's crc64.Update.</summary>
    public static ulong Update(ulong crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        var t0 = Tables[0];
        var t1 = Tables[1];
        var t2 = Tables[2];
        var t3 = Tables[3];
        var t4 = Tables[4];
        var t5 = Tables[5];
        var t6 = Tables[6];
        var t7 = Tables[7];
        while (data.Length >= 8)
        {
            crc ^= System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(data);
            crc = t7[crc & 0xFF] ^
                  t6[(crc >> 8) & 0xFF] ^
                  t5[(crc >> 16) & 0xFF] ^
                  t4[(crc >> 24) & 0xFF] ^
                  t3[(crc >> 32) & 0xFF] ^
                  t2[(crc >> 40) & 0xFF] ^
                  t1[(crc >> 48) & 0xFF] ^
                  t0[crc >> 56];
            data = data[8..];
        }
        foreach (var b in data)
        {
            crc = t0[(byte)(crc ^ b)] ^ (crc >> 8);
        }
        return ~crc;
    }

    public static ulong Compute(ReadOnlySpan<byte> data) => Update(0, data);

    private static ulong[][] BuildTables()
    {
        var tables = new ulong[8][];
        tables[0] = new ulong[256];
        for (var i = 0; i < 256; i++)
        {
            var crc = (ulong)i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) == 1 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            }
            tables[0][i] = crc;
        }
        for (var k = 1; k < 8; k++)
        {
            tables[k] = new ulong[256];
            for (var i = 0; i < 256; i++)
            {
                var previous = tables[k - 1][i];
                tables[k][i] = tables[0][previous & 0xFF] ^ (previous >> 8);
            }
        }
        return tables;
    }
}
