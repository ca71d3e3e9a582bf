using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LitestreamActors.Storage.Checksums;

/// <summary>
/// CRC-64 with the ISO polynomial as Go's hash/crc64 computes it (reflected, init and xorout all ones).
/// LTX file checksums use it; .NET's System.IO.Hashing.Crc64 is the ECMA variant and does not match.
/// </summary>
public static class Crc64Iso
{
    private const ulong ReflectedPolynomial = 0xD800000000000000UL;

    private const int FoldBlock = 128;

    // Slicing-by-8 tables: Tables[0] is the classic byte table, Tables[k] advances k further zero bytes.
    private static readonly ulong[][] Tables = BuildTables();

    // Carry-less folding constants: element 0 multiplies a lane's low (earlier, higher-degree) half, element 1 its high half.
    private static readonly Vector128<ulong> Fold1024 = FoldConstants(1024);
    private static readonly Vector128<ulong>[] FoldTail = Enumerable.Range(1, 7).Select(i => FoldConstants(128 * (8 - i))).ToArray();

    /// <summary>Continues a finished CRC value (0 for a fresh one) over more bytes, like Go's crc64.Update.</summary>
    public static ulong Update(ulong crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        if (Pclmulqdq.IsSupported && data.Length >= 2 * FoldBlock)
        {
            var whole = data.Length / FoldBlock * FoldBlock;
            crc = Fold(crc, data[..whole]);
            data = data[whole..];
        }
        return ~UpdateRaw(crc, data);
    }

    public static ulong Compute(ReadOnlySpan<byte> data) => Update(0, data);

    /// <summary>
    /// The CRC of A followed by B from the CRCs of each and B's length, as zlib's crc32_combine: the first CRC is
    /// advanced over <paramref name="secondLength"/> zero bytes (a product by x^(8·length) mod P, by squaring
    /// operator matrices), then the second is added. Lets pages be checksummed apart, on several cores, and in order after.
    /// </summary>
    public static ulong Combine(ulong first, ulong second, long secondLength) => Advance(first, secondLength) ^ second;

    /// <summary>The register advanced over <paramref name="length"/> zero bytes (the linear part of <see cref="Combine"/>).</summary>
    internal static ulong Advance(ulong crc, long length)
    {
        // The operator for one zero bit, squared three times: one zero byte; then squared once per bit of the length.
        var op = new ulong[64];
        op[0] = ReflectedPolynomial;
        for (var n = 1; n < 64; n++)
        {
            op[n] = 1UL << (n - 1);
        }
        for (var i = 0; i < 3; i++)
        {
            op = Square(op);
        }
        for (; length > 0; length >>= 1)
        {
            if ((length & 1) != 0)
            {
                crc = Times(op, crc);
            }
            if (length > 1)
            {
                op = Square(op);
            }
        }
        return crc;
    }

    internal static ulong Times(ReadOnlySpan<ulong> matrix, ulong vector)
    {
        var sum = 0UL;
        for (var i = 0; vector != 0; i++, vector >>= 1)
        {
            if ((vector & 1) != 0)
            {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static ulong[] Square(ulong[] matrix)
    {
        var square = new ulong[64];
        for (var n = 0; n < 64; n++)
        {
            square[n] = Times(matrix, matrix[n]);
        }
        return square;
    }

    /// <summary>The table-driven update on the raw (not inverted) register.</summary>
    private static ulong UpdateRaw(ulong crc, ReadOnlySpan<byte> data)
    {
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
        return crc;
    }

    /// <summary>
    /// Folds whole 128-byte blocks with PCLMULQDQ (Intel's "Fast CRC Computation for Generic Polynomials"), eight
    /// 16-byte lanes at a time; the folded 16 bytes are then finished by the table, which needs no Barrett step.
    /// </summary>
    private static ulong Fold(ulong crc, ReadOnlySpan<byte> data)
    {
        var x0 = Load(data, 0) ^ Vector128.Create(crc, 0UL);
        var x1 = Load(data, 16);
        var x2 = Load(data, 32);
        var x3 = Load(data, 48);
        var x4 = Load(data, 64);
        var x5 = Load(data, 80);
        var x6 = Load(data, 96);
        var x7 = Load(data, 112);
        var k = Fold1024;
        for (var offset = FoldBlock; offset < data.Length; offset += FoldBlock)
        {
            var block = data.Slice(offset, FoldBlock);
            x0 = FoldLane(x0, k) ^ Load(block, 0);
            x1 = FoldLane(x1, k) ^ Load(block, 16);
            x2 = FoldLane(x2, k) ^ Load(block, 32);
            x3 = FoldLane(x3, k) ^ Load(block, 48);
            x4 = FoldLane(x4, k) ^ Load(block, 64);
            x5 = FoldLane(x5, k) ^ Load(block, 80);
            x6 = FoldLane(x6, k) ^ Load(block, 96);
            x7 = FoldLane(x7, k) ^ Load(block, 112);
        }
        var folded = x7
            ^ FoldLane(x0, FoldTail[0]) ^ FoldLane(x1, FoldTail[1]) ^ FoldLane(x2, FoldTail[2])
            ^ FoldLane(x3, FoldTail[3]) ^ FoldLane(x4, FoldTail[4]) ^ FoldLane(x5, FoldTail[5]) ^ FoldLane(x6, FoldTail[6]);
        Span<byte> last = stackalloc byte[16];
        MemoryMarshal.Write(last, folded);
        return UpdateRaw(0, last);
    }

    private static Vector128<ulong> Load(ReadOnlySpan<byte> data, int offset) => Vector128.Create(data.Slice(offset, 16)).AsUInt64();

    private static Vector128<ulong> FoldLane(Vector128<ulong> lane, Vector128<ulong> constants) =>
        Pclmulqdq.CarrylessMultiply(lane, constants, 0x00) ^ Pclmulqdq.CarrylessMultiply(lane, constants, 0x11);

    // Moving a lane D bits on multiplies its two halves by x^(64+D) and x^D mod P; in the reflected domain a carry-less
    // product carries an extra factor x, hence the exponents one lower.
    private static Vector128<ulong> FoldConstants(int distanceBits) =>
        Vector128.Create(ReflectedPowerModP(64 + distanceBits - 1), ReflectedPowerModP(distanceBits - 1));

    /// <summary>x^n mod P, bit-reversed so that bit i holds the coefficient of x^(63-i).</summary>
    private static ulong ReflectedPowerModP(int n)
    {
        const ulong polynomialLowTerms = 0x1B; // x^4 + x^3 + x + 1; the x^64 term is implied
        ulong r = 1;
        for (var i = 0; i < n; i++)
        {
            var overflow = (r >> 63) != 0;
            r <<= 1;
            if (overflow)
            {
                r ^= polynomialLowTerms;
            }
        }
        var reflected = 0UL;
        for (var bit = 0; bit < 64; bit++)
        {
            reflected |= ((r >> bit) & 1) << (63 - bit);
        }
        return reflected;
    }

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
