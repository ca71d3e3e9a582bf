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

    [Fact]
    public void Combining_the_crcs_of_two_parts_equals_the_crc_of_both()
    {
        var data = new byte[9000];
        new Random(11).NextBytes(data);
        var whole = Crc64Iso.Compute(data);
        foreach (var split in new[] { 0, 1, 7, 100, 4096, 4500, 8999, 9000 })
        {
            var first = Crc64Iso.Compute(data.AsSpan(0, split));
            var second = Crc64Iso.Compute(data.AsSpan(split));
            Assert.Equal(whole, Crc64Iso.Combine(first, second, data.Length - split));
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void A_fixed_length_shift_joins_pages_as_one_pass_does(int pageSize)
    {
        var data = new byte[pageSize * 5 + 10];
        new Random(pageSize).NextBytes(data);
        var shift = new Crc64Shift(pageSize);
        var crc = Crc64Iso.Compute(data.AsSpan(0, 10));
        for (var page = 0; page < 5; page++)
        {
            crc = shift.Combine(crc, Crc64Iso.Compute(data.AsSpan(10 + page * pageSize, pageSize)));
        }
        Assert.Equal(Crc64Iso.Compute(data), crc);
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
