using System.Buffers.Binary;

namespace LitestreamActors.Storage.Ltx;

/// <summary>The 100-byte LTX header. All integers are big-endian on disk.</summary>
public readonly record struct LtxHeader(
    uint Flags,
    uint PageSize,
    uint Commit,
    ulong MinTxid,
    ulong MaxTxid,
    long TimestampMs,
    ulong PreApplyChecksum,
    long WalOffset,
    long WalSize,
    uint WalSalt1,
    uint WalSalt2,
    ulong NodeId)
{
    public const int Size = 100;
    public const uint Magic = 0x4C545831; // "LTX1"
    public const uint FlagNoChecksum = 0x2;
    private const int ReservedOffset = 80;

    public bool IsSnapshot => MinTxid == 1;

    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs);

    /// <summary>The header every Litestream writer produces: no database checksums tracked.</summary>
    public static LtxHeader Create(uint pageSize, uint commit, ulong minTxid, ulong maxTxid, DateTimeOffset timestamp) =>
        new(FlagNoChecksum, pageSize, commit, minTxid, maxTxid, timestamp.ToUnixTimeMilliseconds(), 0, 0, 0, 0, 0, 0);

    public void Write(Span<byte> b)
    {
        b[..Size].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(b, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(b[4..], Flags);
        BinaryPrimitives.WriteUInt32BigEndian(b[8..], PageSize);
        BinaryPrimitives.WriteUInt32BigEndian(b[12..], Commit);
        BinaryPrimitives.WriteUInt64BigEndian(b[16..], MinTxid);
        BinaryPrimitives.WriteUInt64BigEndian(b[24..], MaxTxid);
        BinaryPrimitives.WriteInt64BigEndian(b[32..], TimestampMs);
        BinaryPrimitives.WriteUInt64BigEndian(b[40..], PreApplyChecksum);
        BinaryPrimitives.WriteInt64BigEndian(b[48..], WalOffset);
        BinaryPrimitives.WriteInt64BigEndian(b[56..], WalSize);
        BinaryPrimitives.WriteUInt32BigEndian(b[64..], WalSalt1);
        BinaryPrimitives.WriteUInt32BigEndian(b[68..], WalSalt2);
        BinaryPrimitives.WriteUInt64BigEndian(b[72..], NodeId);
    }

    /// <summary>Parses and validates a header as upstream's Header.Validate does.</summary>
    public static LtxHeader Read(ReadOnlySpan<byte> b)
    {
        if (b.Length < Size)
        {
            throw new LtxFormatException("truncated header");
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(b) != Magic)
        {
            throw new LtxFormatException("not an LTX file (bad magic)");
        }
        var header = new LtxHeader(
            BinaryPrimitives.ReadUInt32BigEndian(b[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[12..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[24..]),
            BinaryPrimitives.ReadInt64BigEndian(b[32..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[40..]),
            BinaryPrimitives.ReadInt64BigEndian(b[48..]),
            BinaryPrimitives.ReadInt64BigEndian(b[56..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[64..]),
            BinaryPrimitives.ReadUInt32BigEndian(b[68..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[72..]));
        if (b.Slice(ReservedOffset, Size - ReservedOffset).IndexOfAnyExcept((byte)0) >= 0)
        {
            throw new LtxFormatException("reserved header bytes are not zero");
        }
        header.Validate();
        return header;
    }

    public void Validate()
    {
        if ((Flags & ~FlagNoChecksum) != 0)
        {
            throw new LtxFormatException($"unknown header flags 0x{Flags:x8}");
        }
        if (!IsValidPageSize(PageSize))
        {
            throw new LtxFormatException($"invalid page size {PageSize}");
        }
        if (MinTxid == 0 || MaxTxid == 0 || MinTxid > MaxTxid)
        {
            throw new LtxFormatException($"invalid TXID range {MinTxid:x16}-{MaxTxid:x16}");
        }
        if (WalOffset < 0 || WalSize < 0)
        {
            throw new LtxFormatException("negative WAL offset or size");
        }
        if ((WalSalt1 != 0 || WalSalt2 != 0) && WalOffset == 0)
        {
            throw new LtxFormatException("WAL salts set without a WAL offset");
        }
        if (WalOffset == 0 && WalSize != 0)
        {
            throw new LtxFormatException("WAL size set without a WAL offset");
        }
        var noChecksum = (Flags & FlagNoChecksum) != 0;
        if ((IsSnapshot || noChecksum) && PreApplyChecksum != 0)
        {
            throw new LtxFormatException("pre-apply checksum must be zero");
        }
        if (!IsSnapshot && !noChecksum && (PreApplyChecksum & LtxChecksum.Flag) == 0)
        {
            throw new LtxFormatException("pre-apply checksum is missing its flag bit");
        }
    }

    public static bool IsValidPageSize(uint pageSize) =>
        pageSize is >= 512 and <= 65536 && (pageSize & (pageSize - 1)) == 0;
}
