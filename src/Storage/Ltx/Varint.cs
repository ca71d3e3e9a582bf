using System.Buffers;

namespace LitestreamActors.Storage.Ltx;

/// <summary>Unsigned LEB128 varints as Go's binary.AppendUvarint writes them.</summary>
internal static class Varint
{
    public const int MaxLength = 10;

    public static int Write(Span<byte> b, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            b[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        b[i++] = (byte)value;
        return i;
    }

    public const int MaxIndexEntryLength = MaxLength * 3;

    /// <summary>Appends one page-index entry: page number, frame offset, frame size.</summary>
    public static void WriteIndexEntry(IBufferWriter<byte> index, uint pgno, long frameOffset, long frameSize)
    {
        Span<byte> entry = stackalloc byte[MaxIndexEntryLength];
        index.Write(entry[..WriteIndexEntry(entry, pgno, frameOffset, frameSize)]);
    }

    /// <summary>One page-index entry into <paramref name="entry"/> (<see cref="MaxIndexEntryLength"/> bytes); returns its length.</summary>
    public static int WriteIndexEntry(Span<byte> entry, uint pgno, long frameOffset, long frameSize)
    {
        var n = Write(entry, pgno);
        n += Write(entry[n..], (ulong)frameOffset);
        n += Write(entry[n..], (ulong)frameSize);
        return n;
    }

    /// <summary>Reads one varint; returns the bytes consumed, or 0 when the input ends first or it overflows.</summary>
    public static int Read(ReadOnlySpan<byte> b, out ulong value)
    {
        value = 0;
        var shift = 0;
        for (var i = 0; i < b.Length && i < MaxLength; i++)
        {
            var x = b[i];
            if (i == MaxLength - 1 && x > 1)
            {
                return 0;
            }
            value |= (ulong)(x & 0x7F) << shift;
            if (x < 0x80)
            {
                return i + 1;
            }
            shift += 7;
        }
        value = 0;
        return 0;
    }
}
