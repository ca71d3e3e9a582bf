namespace LitestreamActors.Storage.IO;

/// <summary>
/// Opens a file to read through a buffer no larger than the file (at most 64 KiB): a small file read through a 64 KiB
/// buffer leaves mostly empty garbage that the collector may not reclaim for a long time, and a node with hundreds of
/// idle databases reads small files all day (docs/scale.md, "What an idle database costs").
/// </summary>
public static class SmallFileReader
{
    public const int MaxBufferSize = 1 << 16;

    public static FileStream Open(string path, FileShare share)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, share);
        try
        {
            return new FileStream(handle, FileAccess.Read, (int)Math.Clamp(RandomAccess.GetLength(handle), 1, MaxBufferSize));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
