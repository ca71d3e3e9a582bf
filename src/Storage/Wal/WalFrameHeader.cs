using System.Buffers.Binary;

namespace LitestreamActors.Storage.Wal;

/// <summary>The 24-byte header of a WAL frame. Commit is the database size in pages on a transaction's last frame, else 0.</summary>
public readonly record struct WalFrameHeader(uint Pgno, uint Commit, uint Salt1, uint Salt2, uint Checksum1, uint Checksum2)
{
    public const int Size = 24;

    public bool IsCommit => Commit != 0;

    public static WalFrameHeader Read(ReadOnlySpan<byte> b) => new(
        BinaryPrimitives.ReadUInt32BigEndian(b),
        BinaryPrimitives.ReadUInt32BigEndian(b[4..]),
        BinaryPrimitives.ReadUInt32BigEndian(b[8..]),
        BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
        BinaryPrimitives.ReadUInt32BigEndian(b[16..]),
        BinaryPrimitives.ReadUInt32BigEndian(b[20..]));
}
