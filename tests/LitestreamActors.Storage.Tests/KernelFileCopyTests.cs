using LitestreamActors.Storage.IO;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

public sealed class KernelFileCopyTests : IDisposable
{
    // Larger than a write-behind step, not a multiple of it: the copy goes on past the kernel's partial copies.
    private const int Size = (int)(2.5 * WriteBehind.StepBytes) + 12345;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_file_larger_than_several_steps_is_copied_byte_for_byte()
    {
        var source = Source();
        var copy = _dir.File("copy");

        Copy(source, copy, Size);

        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_copy_to_another_file_system_goes_through_a_buffer_byte_for_byte()
    {
        // /dev/shm is a tmpfs: the kernel refuses to copy between it and the temp folder's file system on this machine.
        Assert.True(Directory.Exists("/dev/shm"), "/dev/shm is needed for a copy across file systems");
        var source = Source();
        var copy = Path.Combine("/dev/shm", "lsa-copy-" + Guid.NewGuid().ToString("N"));
        try
        {
            Copy(source, copy, Size);

            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(copy));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public void A_source_shorter_than_its_length_is_an_error_naming_the_file()
    {
        var source = Source();

        var error = Assert.Throws<IOException>(() => Copy(source, _dir.File("copy"), Size + 1));

        Assert.Contains("the-file", error.Message);
        Assert.Contains($"ended at {Size} of {Size + 1} bytes", error.Message);
    }

    private string Source()
    {
        var bytes = new byte[Size];
        new Random(7).NextBytes(bytes);
        var path = _dir.File("source");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void Copy(string source, string destination, long length)
    {
        using var input = File.OpenHandle(source);
        using var output = File.OpenHandle(destination, FileMode.Create, FileAccess.Write);
        KernelFileCopy.Copy(input, output, length, "the-file");
    }
}
