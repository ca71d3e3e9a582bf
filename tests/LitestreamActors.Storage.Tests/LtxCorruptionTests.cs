using LitestreamActors.Storage.Ltx;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// Fuzz-style: every truncation and many bit flips of real files must give a clean LtxFormatException, or (a flip in
/// compressed bytes that decodes to the very same page) exactly the original pages: never a crash, never other data.
/// </summary>
public sealed class LtxCorruptionTests
{
    public static TheoryData<string> Files() => new()
    {
        "fixture:0000000000000002-0000000000000002.ltx",
        "fixture:0000000000000005-0000000000000005.ltx",
        "block",
        "frame",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_truncation_is_a_clean_error(string which)
    {
        var file = Load(which);
        var step = Math.Max(1, file.Length / 400);
        for (var length = 0; length < file.Length; length += step)
        {
            AssertRejected(file[..length], $"truncated to {length}");
        }
        AssertRejected(file[..^1], "last byte cut");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_bit_flip_is_a_clean_error(string which)
    {
        var file = Load(which);
        var original = LtxFiles.Decode(file);
        var random = new Random(which.Length);
        var rejected = 0;
        var positions = Enumerable.Range(0, 600).Select(_ => random.Next(file.Length))
            .Concat(Enumerable.Range(0, Math.Min(file.Length, 120)))
            .Concat(Enumerable.Range(Math.Max(0, file.Length - 120), Math.Min(file.Length, 120)));
        var flips = 0;
        foreach (var position in positions)
        {
            var corrupt = file.ToArray();
            corrupt[position] ^= (byte)(1 << random.Next(8));
            flips++;
            if (RejectedOrIdentical(corrupt, original, $"bit flipped at {position}"))
            {
                rejected++;
            }
        }
        // Only flips inside compressed bytes can decode to the same page; nearly all must be caught.
        Assert.True(rejected > flips * 9 / 10, $"{rejected} of {flips} flips rejected");
    }

    [Theory]
    [InlineData("block")]
    [InlineData("frame")]
    public void A_page_index_that_differs_from_the_frames_is_rejected_even_when_the_file_checksum_fits(string which)
    {
        var file = Load(which);
        // The index ends 24 bytes before the end (its size, then the trailer); its first byte is page 1's number.
        var indexSize = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(file.Length - 24, 8));
        var corrupt = file.ToArray();
        corrupt[file.Length - 24 - indexSize] = 2;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(
            corrupt.AsSpan(file.Length - 8), LtxChecksum.Flag | Checksums.Crc64Iso.Update(0, corrupt.AsSpan(0, file.Length - 8)));

        var error = Assert.Throws<LtxFormatException>(() => LtxFiles.Decode(corrupt, "x.ltx"));

        Assert.Equal("x.ltx: page index does not match the page frames", error.Message);
        Assert.Equal(4, LtxFiles.Decode(file).Pages.Count);
    }

    [Fact]
    public void Trailing_garbage_is_rejected()
    {
        AssertRejected([.. Load("block"), 0], "one byte appended");
    }

    /// <summary>True when rejected cleanly; false when it decoded to exactly the original; fails otherwise.</summary>
    private static bool RejectedOrIdentical(
        byte[] file, (LtxHeader Header, List<(uint Pgno, byte[] Data)> Pages) original, string what)
    {
        (LtxHeader Header, List<(uint Pgno, byte[] Data)> Pages) decoded;
        try
        {
            decoded = LtxFiles.Decode(file, "x.ltx");
        }
        catch (LtxFormatException e)
        {
            Assert.StartsWith("x.ltx: ", e.Message, StringComparison.Ordinal);
            return true;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: expected LtxFormatException, got {e.GetType().Name}: {e.Message}");
            throw;
        }
        Assert.Equal(original.Header, decoded.Header);
        Assert.Equal(original.Pages.Select(p => p.Pgno), decoded.Pages.Select(p => p.Pgno));
        Assert.All(original.Pages.Zip(decoded.Pages), pair => Assert.Equal(pair.First.Data, pair.Second.Data));
        return false;
    }

    private static void AssertRejected(byte[] file, string what)
    {
        var e = Record.Exception(() => LtxFiles.Decode(file, "x.ltx"));
        Assert.True(e is LtxFormatException, $"{what}: expected LtxFormatException, got {e?.GetType().Name ?? "success"}: {e?.Message}");
        Assert.StartsWith("x.ltx: ", e!.Message, StringComparison.Ordinal);
    }

    private static byte[] Load(string which)
    {
        if (which.StartsWith("fixture:", StringComparison.Ordinal))
        {
            return File.ReadAllBytes(Path.Combine(RepositoryPaths.LtxFixture, "replica", "ltx", "0", which["fixture:".Length..]));
        }
        var encoding = which == "frame" ? LtxPageEncoding.Lz4Frame : LtxPageEncoding.SizePrefixedBlock;
        return LtxFiles.Encode(1024, 4, 1, 3, Enumerable.Range(1, 4).Select(i => ((uint)i, LtxFiles.Page(1024, i))), encoding);
    }
}
