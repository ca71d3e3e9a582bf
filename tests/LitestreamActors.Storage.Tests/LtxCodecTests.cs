using System.Buffers.Binary;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Sqlite;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

public sealed class LtxCodecTests
{
    [Theory]
    [InlineData(LtxPageEncoding.SizePrefixedBlock, 512u)]
    [InlineData(LtxPageEncoding.SizePrefixedBlock, 4096u)]
    [InlineData(LtxPageEncoding.SizePrefixedBlock, 65536u)]
    [InlineData(LtxPageEncoding.Lz4Frame, 1024u)]
    [InlineData(LtxPageEncoding.Lz4Frame, 65536u)]
    public void Round_trips_pages_and_header(LtxPageEncoding encoding, uint pageSize)
    {
        var pages = Enumerable.Range(1, 6).Select(i => ((uint)i, LtxFiles.Page(pageSize, i))).ToList();
        var file = LtxFiles.Encode(pageSize, 6, 1, 1, pages, encoding);

        var (header, decoded) = LtxFiles.Decode(file);

        Assert.Equal(LtxHeader.Create(pageSize, 6, 1, 1, LtxFiles.Time), header);
        Assert.Equal(pages.Select(p => p.Item1), decoded.Select(p => p.Pgno));
        Assert.All(pages.Zip(decoded), pair => Assert.Equal(pair.First.Item2, pair.Second.Data));
    }

    [Theory]
    [InlineData(LtxPageEncoding.SizePrefixedBlock, 512u, 1)]
    [InlineData(LtxPageEncoding.SizePrefixedBlock, 4096u, 7)]
    [InlineData(LtxPageEncoding.SizePrefixedBlock, 65536u, 3)]
    [InlineData(LtxPageEncoding.Lz4Frame, 1024u, 5)]
    public void Pages_encoded_on_several_cores_give_the_same_bytes_as_one_at_a_time(LtxPageEncoding encoding, uint pageSize, int chunks)
    {
        const int commit = 61;
        var pages = Enumerable.Range(1, commit).Select(i => ((uint)i, LtxFiles.Page(pageSize, i))).ToList();
        var oneAtATime = LtxFiles.Encode(pageSize, commit, 1, 1, pages, encoding);

        using var output = new MemoryStream();
        using (var encoder = new LtxEncoder(output, LtxHeader.Create(pageSize, commit, 1, 1, LtxFiles.Time), encoding))
        {
            // Uneven chunks and the last page alone.
            var bounds = Enumerable.Range(0, chunks).Select(c => (commit - 1) * c / chunks).Append(commit - 1).Append(commit).ToList();
            for (var c = 0; c + 1 < bounds.Count; c++)
            {
                using var run = new PageRun((int)pageSize, (bounds[c + 1] - bounds[c] + 2) * (int)pageSize);
                foreach (var (pgno, data) in pages.GetRange(bounds[c], bounds[c + 1] - bounds[c]))
                {
                    run.Add(pgno, data);
                }
                encoder.WritePages(run);
            }
            encoder.Finish();
        }

        Assert.Equal(oneAtATime, output.ToArray());
        var (_, decoded) = LtxFiles.Decode(output.ToArray());
        Assert.Equal(commit, decoded.Count);
    }

    [Fact]
    public void Writes_the_header_trailer_and_flags_litestream_writes()
    {
        var file = LtxFiles.Encode(4096, 3, 7, 7, [(2, LtxFiles.Page(4096, 2))]);

        Assert.Equal("LTX1"u8.ToArray(), file[..4]);
        Assert.Equal(LtxHeader.FlagNoChecksum, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(4)));
        Assert.Equal(LtxPageHeader.FlagSizePrefixedBlock, BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(LtxHeader.Size + 4)));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(file.Length - 16)));
        Assert.NotEqual(0UL, BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(file.Length - 8)) & LtxChecksum.Flag);
    }

    [Fact]
    public void Page_index_gives_each_frame_offset_and_size()
    {
        var pages = new[] { 2u, 5u, 9u }.Select(p => (p, LtxFiles.Page(1024, (int)p))).ToList();
        var file = LtxFiles.Encode(1024, 9, 4, 4, pages);

        var indexSize = (int)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan(file.Length - 24));
        var index = file.AsSpan(file.Length - 24 - indexSize, indexSize);
        var offset = LtxHeader.Size;
        foreach (var (pgno, data) in pages)
        {
            index = index[Varint.Read(index, out var indexedPgno)..];
            index = index[Varint.Read(index, out var frameOffset)..];
            index = index[Varint.Read(index, out var frameSize)..];
            Assert.Equal(pgno, indexedPgno);
            Assert.Equal((ulong)offset, frameOffset);
            Assert.Equal(pgno, BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset)));
            offset += (int)frameSize;
        }
        Assert.Equal(1, Varint.Read(index, out var terminator));
        Assert.Equal(0UL, terminator);
        Assert.Equal(new byte[6], file.AsSpan(offset, 6).ToArray());
    }

    [Fact]
    public void Encoder_refuses_pages_out_of_order_beyond_commit_or_on_the_lock_page()
    {
        using var output = new MemoryStream();
        var page = LtxFiles.Page(4096, 1);
        using var encoder = new LtxEncoder(output, LtxHeader.Create(4096, 300000, 2, 2, LtxFiles.Time));
        encoder.WritePage(5, page);
        Assert.Throws<LtxFormatException>(() => encoder.WritePage(5, page));
        Assert.Throws<LtxFormatException>(() => encoder.WritePage(3, page));
        Assert.Throws<LtxFormatException>(() => encoder.WritePage(SqlitePages.LockPgno(4096), page));
        Assert.Throws<LtxFormatException>(() => encoder.WritePage(300001, page));
    }

    [Fact]
    public void Snapshot_must_hold_every_page()
    {
        using var output = new MemoryStream();
        var page = LtxFiles.Page(4096, 1);
        using var encoder = new LtxEncoder(output, LtxHeader.Create(4096, 3, 1, 1, LtxFiles.Time));
        encoder.WritePage(1, page);
        Assert.Throws<LtxFormatException>(() => encoder.WritePage(3, page));
        encoder.WritePage(2, page);
        Assert.Throws<LtxFormatException>(() => encoder.Finish());
    }

    [Fact]
    public void Reads_every_file_litestream_0_5_17_wrote_and_verifies_its_checksum()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.LtxFixture, "replica", "ltx", "0"), "*.ltx").Order().ToList();
        Assert.Equal(5, files.Count);
        foreach (var path in files)
        {
            var decoder = new LtxDecoder(File.OpenRead(path), path);
            var header = decoder.ReadHeader();
            decoder.ReadToEnd();
            Assert.True(LtxFileName.TryParse(Path.GetFileName(path), out var min, out var max));
            Assert.Equal((min, max), (header.MinTxid, header.MaxTxid));
            Assert.Equal(4096u, header.PageSize);
            Assert.Equal(BinaryPrimitives.ReadUInt64BigEndian(File.ReadAllBytes(path).AsSpan(^8)), decoder.Trailer.FileChecksum);
        }
    }
}
