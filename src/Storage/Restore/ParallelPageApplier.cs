using LitestreamActors.Storage.Checksums;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// Writes one LTX file's pages with their LZ4 decoding and checksums spread over several cores: this thread reads the
/// frames in order into batches, up to <c>parallelism</c> batches decode at once, and each is applied in file order,
/// its page CRCs joined into the file checksum (<see cref="Crc64Shift"/>). Memory stays bounded by the writer's
/// buffers, which the batches decode into (docs/performance.md, "Restore").
/// </summary>
internal static class ParallelPageApplier
{
    /// <param name="parallelism">Batches decoding at once; 1 decodes on this thread. Kept below the writer's depth so
    /// the batches waiting for the disk always have buffers.</param>
    public static void Apply(LtxDecoder decoder, PipelinedPageWriter writer, PageSet written, int parallelism, string name)
    {
        var pageSize = (int)decoder.Header.PageSize;
        var shift = Crc64Shift.For(pageSize);
        var crc = decoder.HeaderChecksum;
        var decoding = new Queue<Task<DecodeBatch>>();
        var spare = new Stack<DecodeBatch>();
        var more = true;
        while (more)
        {
            var batch = (spare.TryPop(out var done) ? done : new DecodeBatch(writer.BufferSize, pageSize)).Start(writer.Rent());
            while (!batch.IsFull && (more = decoder.ReadFrame(batch.Compressed, batch.CompressedUsed, batch.NextSlot, out var frame)))
            {
                batch.Add(frame);
            }
            if (batch.Count == 0)
            {
                batch.Release(writer);
                spare.Push(batch);
            }
            else if (parallelism <= 1)
            {
                crc = batch.Decode(name).Apply(crc, shift, writer, written);
                spare.Push(batch);
            }
            else
            {
                decoding.Enqueue(Task.Run(() => batch.Decode(name)));
            }
            while (decoding.Count > 0 && (decoding.Count >= parallelism || !more))
            {
                var decoded = decoding.Dequeue().GetAwaiter().GetResult();
                crc = decoded.Apply(crc, shift, writer, written);
                spare.Push(decoded);
            }
        }
        decoder.CompleteFrames(crc);
    }
}
