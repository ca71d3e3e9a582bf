using LitestreamActors.Storage.IO;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>A read stream whose buffer fits the file reads every byte of small and large files alike.</summary>
public sealed class SmallFileReaderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(SmallFileReader.MaxBufferSize + 12345)]
    public void Reads_the_whole_file_in_small_and_odd_pieces(int size)
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "file");
        var content = new byte[size];
        new Random(size).NextBytes(content);
        File.WriteAllBytes(path, content);

        using var stream = SmallFileReader.Open(path, FileShare.Read);
        var read = new MemoryStream();
        var piece = new byte[7];
        int n;
        while ((n = stream.Read(piece)) > 0)
        {
            read.Write(piece, 0, n);
        }

        Assert.Equal(content, read.ToArray());
    }

    [Fact]
    public void An_open_file_can_be_deleted_when_shared_for_it_and_a_missing_one_is_not_found()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "file");
        File.WriteAllBytes(path, [1, 2, 3]);

        using (var stream = SmallFileReader.Open(path, FileShare.Read | FileShare.Delete))
        {
            File.Delete(path);
            Assert.Equal(1, stream.ReadByte());
        }

        Assert.Throws<FileNotFoundException>(() => SmallFileReader.Open(path, FileShare.Read));
    }
}
