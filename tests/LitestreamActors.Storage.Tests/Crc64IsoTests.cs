using System.Text;
using LitestreamActors.Storage.Checksums;

namespace LitestreamActors.Storage.Tests;

public sealed class Crc64IsoTests
{
    [Fact]
    public void Matches_the_go_iso_check_value()
    {
        Assert.Equal(0xB90956C775A41001UL, Crc64Iso.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Incremental_updates_equal_one_pass_for_every_split()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        var whole = Crc64Iso.Compute(data);
        for (var split = 0; split <= data.Length; split += 37)
        {
            Assert.Equal(whole, Crc64Iso.Update(Crc64Iso.Compute(data.AsSpan(0, split)), data.AsSpan(split)));
        }
    }

    [Fact]
    public void Every_length_and_seed_equals_a_bytewise_reference()
    {
        // Covers the table path, the carry-less folding path (256 bytes and up) and the tail after it.
        var data = new byte[5000];
        new Random(3).NextBytes(data);
        for (var length = 0; length <= data.Length; length += length < 600 ? 1 : 97)
        {
            var seed = (ulong)length * 0x9E3779B97F4A7C15UL;
            Assert.Equal(Bytewise(seed, data.AsSpan(0, length)), Crc64Iso.Update(seed, data.AsSpan(0, length)));
        }
    }

    private static ulong Bytewise(ulong seed, ReadOnlySpan<byte> data)
    {
        var crc = ~seed;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) == 1 ? (crc >> 1) ^ 0xD800000000000000UL : crc >> 1;
            }
        }
        return ~crc;
    }
}
