namespace LitestreamActors.Storage.IO;

/// <summary>
/// A file stream's buffer for about <c>bytes</c> of content: no larger than that (at least 4 KiB, at most 64 KiB). Most
/// files a node writes are a few KB, and each 64 KiB buffer is garbage the collector may not reclaim for a long time
/// (docs/scale.md, "What an idle database costs").
/// </summary>
public static class StreamBufferSize
{
    public static int For(long bytes) => (int)Math.Clamp(bytes, 4096, SmallFileReader.MaxBufferSize);
}
