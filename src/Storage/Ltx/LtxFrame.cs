using System.Buffers.Binary;

namespace LitestreamActors.Storage.Ltx;

/// <summary>
/// One page's frame as <see cref="LtxDecoder.ReadFrame"/> read it: a size-prefixed LZ4 block of
/// <see cref="CompressedSize"/> bytes still to decode, or (an LZ4 frame) a page already decoded.
/// </summary>
public readonly record struct LtxFrame(uint Pgno, ushort Flags, int CompressedSize)
{
    public const int MaxHeaderSize = LtxPageHeader.Size + 4;

    public bool Decoded => Flags != LtxPageHeader.FlagSizePrefixedBlock;

    /// <summary>The frame's bytes before its page data as the file checksum covers them; returns their length.</summary>
    public int WriteHeader(Span<byte> destination)
    {
        new LtxPageHeader(Pgno, Flags).Write(destination);
        if (Decoded)
        {
            return LtxPageHeader.Size;
        }
        BinaryPrimitives.WriteUInt32BigEndian(destination[LtxPageHeader.Size..], (uint)CompressedSize);
        return MaxHeaderSize;
    }
}
