using System.Buffers;

namespace LitestreamActors.Storage.Ltx;

/// <summary>
/// Merges contiguous LTX files into one as upstream's compactor does: for each page the latest input wins,
/// pages beyond the last input's commit are dropped, the header takes its range from the first and last inputs.
/// Streams every input; holds one page per input.
/// </summary>
public static class LtxCompactor
{
    public sealed record Input(Stream Stream, string Name);

    public static LtxHeader Compact(IReadOnlyList<Input> inputs, Stream output, LtxPageEncoding encoding = LtxPageEncoding.SizePrefixedBlock)
    {
        if (inputs.Count == 0)
        {
            throw new ArgumentException("nothing to compact", nameof(inputs));
        }
        var decoders = inputs.Select(i => new LtxDecoder(i.Stream, i.Name)).ToArray();
        var headers = decoders.Select(d => d.ReadHeader()).ToArray();
        for (var i = 1; i < headers.Length; i++)
        {
            if (headers[i].PageSize != headers[0].PageSize)
            {
                throw new LtxFormatException($"{inputs[i].Name}: page size {headers[i].PageSize} differs from {headers[0].PageSize}");
            }
            if (!IsContiguous(headers[i - 1].MaxTxid, headers[i].MinTxid, headers[i].MaxTxid))
            {
                throw new LtxFormatException(
                    $"{inputs[i].Name}: not contiguous with {inputs[i - 1].Name} (TXID {Txid.Format(headers[i - 1].MaxTxid)} then {Txid.Format(headers[i].MinTxid)})");
            }
        }

        var first = headers[0];
        var last = headers[^1];
        var header = new LtxHeader(
            LtxHeader.FlagNoChecksum, first.PageSize, last.Commit, first.MinTxid, last.MaxTxid, last.TimestampMs,
            first.PreApplyChecksum, 0, 0, 0, 0, 0);

        var pageSize = (int)first.PageSize;
        var buffers = decoders.Select(_ => ArrayPool<byte>.Shared.Rent(pageSize)).ToArray();
        try
        {
            using var encoder = new LtxEncoder(output, header, encoding);
            // Ordered by page number, then latest input first, so the first of each page number wins.
            var queue = new PriorityQueue<int, (uint Pgno, int Order)>();
            for (var i = 0; i < decoders.Length; i++)
            {
                Advance(decoders, buffers, queue, i);
            }
            while (queue.TryDequeue(out var winner, out var key))
            {
                if (key.Pgno <= header.Commit)
                {
                    encoder.WritePage(key.Pgno, buffers[winner].AsSpan(0, pageSize));
                }
                Advance(decoders, buffers, queue, winner);
                while (queue.TryPeek(out var other, out var otherKey) && otherKey.Pgno == key.Pgno)
                {
                    queue.Dequeue();
                    Advance(decoders, buffers, queue, other);
                }
            }
            encoder.Finish();
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        return header;
    }

    /// <summary>Upstream's rule: overlap is allowed, a gap is not, and each file must reach past the previous.</summary>
    public static bool IsContiguous(ulong previousMax, ulong min, ulong max) => min <= previousMax + 1 && max > previousMax;

    private static void Advance(LtxDecoder[] decoders, byte[][] buffers, PriorityQueue<int, (uint, int)> queue, int i)
    {
        if (decoders[i].ReadPage(buffers[i], out var pgno))
        {
            queue.Enqueue(i, (pgno, -i));
        }
    }
}
