using System.Buffers.Binary;

namespace LitestreamActors.Storage.Wal;

/// <summary>The 32-byte SQLite WAL header.</summary>
public readonly record struct WalHeader(
    uint Magic, uint Version, uint PageSize, uint CheckpointSequence, uint Salt1, uint Salt2, uint Checksum1, uint Checksum2)
{
    public const int Size = 32;
    public const uint MagicLittleEndian = 0x377F0682;
    public const uint MagicBigEndian = 0x377F0683;
    public const uint SupportedVersion = 3007000;

    public bool BigEndianChecksum => Magic == MagicBigEndian;

    /// <summary>Parses a header; null when it is short, unknown or fails its checksum (SQLite then treats the WAL as empty).</summary>
    public static WalHeader? TryRead(ReadOnlySpan<byte> b)
    {
        if (b.Length < Size)
        {
            return null;
        }
        var header = new WalHeader(
            BinaryPrimitives.ReadUInt32BigEndian(b),
            BinaryPrimitives.ReadUInt32BigEndian(b[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[24..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[28..]));
        if (header.Magic is not (MagicLittleEndian or MagicBigEndian) || header.Version != SupportedVersion)
        {
            return null;
        }
        var pageSize = header.PageSize == 1 ? 65536u : header.PageSize;
        if (pageSize is < 512 or > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            return null;
        }
        var checksum = WalChecksum.Update((0, 0), b[..24], header.BigEndianChecksum);
        if (checksum != (header.Checksum1, header.Checksum2))
        {
            return null;
        }
        return header with { PageSize = pageSize };
    }

    public bool SameSalts(uint salt1, uint salt2) => Salt1 == salt1 && Salt2 == salt2;
}
