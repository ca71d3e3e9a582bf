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
    public void Slicing_by_eight_equals_a_bytewise_reference()
    {
        var data = new byte[4099];
        new Random(3).NextBytes(data);
        Assert.Equal(Bytewise(data), Crc64Iso.Compute(data));
    }

    private static ulong Bytewise(ReadOnlySpan<byte> data)
    {
        var crc = ulong.MaxValue;
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
