namespace LitestreamActors.TestSupport;

/// <summary>
/// A small tmpfs mounted on a folder for the length of a test (the suite runs as root), so a disk can really fill up;
/// <see cref="Fill"/> takes every free byte with a filler file, <see cref="Free"/> gives it back.
/// </summary>
public sealed class TmpfsMount : IDisposable
{
    private readonly string _filler;

    public TmpfsMount(string directory, int megabytes)
    {
        Directory.CreateDirectory(directory);
        ProcessRunner.Run("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", directory])
            .EnsureSuccess($"mount a {megabytes} MB tmpfs on {directory} (the full-disk tests need root)");
        Path = directory;
        _filler = System.IO.Path.Combine(directory, "filler");
    }

    public string Path { get; }

    /// <summary>Writes a filler file until the file system is full.</summary>
    public void Fill()
    {
        using var filler = new FileStream(_filler, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var chunk = new byte[64 << 10];
        try
        {
            while (true)
            {
                filler.Write(chunk);
            }
        }
        catch (IOException)
        {
            // Full (the stream is unbuffered: nothing is left to flush).
        }
    }

    public void Free() => File.Delete(_filler);

    public void Dispose() => ProcessRunner.Run("umount", ["-l", Path]);
}
