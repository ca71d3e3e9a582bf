using System.Buffers.Binary;

namespace LitestreamActors.Storage.Ltx;

/// <summary>The 16-byte trailer: post-apply database checksum, then the file checksum.</summary>
public readonly record struct LtxTrailer(ulong PostApplyChecksum, ulong FileChecksum)
{
    public const int Size = 16;

    public static LtxTrailer Read(ReadOnlySpan<byte> b) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]));
}
