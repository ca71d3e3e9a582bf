using System.Buffers;

namespace LitestreamActors.Storage.Ltx;

/// <summary>
/// The buffers of page runs and their encoded frames (up to 2 MiB each), pooled apart from the shared pool and bounded
/// (docs/performance.md, "Memory"): the shared pool keeps arrays per thread and per core, and under a saturating writer
/// it held about 25 MB of them, where a database needs a few at a time (the runs the reader has in flight and the one
/// being encoded).
/// </summary>
internal static class RunBuffers
{
    private const int MaxArrayLength = 2 << 20;
    private const int ArraysPerBucket = 4;

    public static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(MaxArrayLength, ArraysPerBucket);
}
