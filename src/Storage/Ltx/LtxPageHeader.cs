using System.Buffers.Binary;

namespace LitestreamActors.Storage.Ltx;

/// <summary>The 6-byte header before each page: page number and flags. All zeros ends the page block.</summary>
public readonly record struct LtxPageHeader(uint Pgno, ushort Flags)
{
    public const int Size = 6;

    /// <summary>Flag of the size-prefixed LZ4 block encoding written by Litestream 0.5.16+.</summary>
    public const ushort FlagSizePrefixedBlock = 0x0001;

    public bool IsEnd => Pgno == 0 && Flags == 0;

    public void Write(Span<byte> b)
    {
        BinaryPrimitives.WriteUInt32BigEndian(b, Pgno);
        BinaryPrimitives.WriteUInt16BigEndian(b[4..], Flags);
    }

    public static LtxPageHeader Read(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(b), BinaryPrimitives.ReadUInt16BigEndian(b[4..]));
}
