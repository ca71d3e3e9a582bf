namespace LitestreamActors.Storage.IO;

/// <summary>Reads exact byte counts from a stream, tracking the position; a short read is a truncated file.</summary>
internal sealed class ExactReader(Stream stream, Func<string, Exception> truncated)
{
    public long Position { get; private set; }

    public void ReadExactly(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0)
            {
                throw truncated($"unexpected end of file at offset {Position + total}");
            }
            total += n;
        }
        Position += total;
    }

    public byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        ReadExactly(one);
        return one[0];
    }

    /// <summary>True when the stream has no byte left; consumes nothing otherwise only on seekable streams, so call it last.</summary>
    public bool AtEnd()
    {
        Span<byte> one = stackalloc byte[1];
        return stream.Read(one) == 0;
    }
}
