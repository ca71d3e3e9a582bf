using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LitestreamActors.Storage.Wal;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// What one SQLite read transaction sees (docs/capture.md): the WAL generation (its salts), the last frame it reads,
/// that frame's running checksum and the database size in pages then. Read from SQLite itself, so a capture that
/// ends here ends exactly where a reader of the database does. No WAL yet: salts and frame are zero.
/// </summary>
public sealed record SqliteSnapshot(uint Salt1, uint Salt2, uint MaxFrame, uint PageCount, uint PageSize, uint FrameChecksum1, uint FrameChecksum2)
{
    /// <summary>sqlite3_snapshot is SQLite's wal-index header, 48 bytes (docs/capture.md gives the layout).</summary>
    public const int NativeSize = 48;

    public bool HasWal => Salt1 != 0 || Salt2 != 0;

    /// <summary>The WAL offset just past the last frame this snapshot reads.</summary>
    public long WalEnd => WalHeader.Size + (long)MaxFrame * (WalFrameHeader.Size + PageSize);

    /// <summary>Whether a capture position ends exactly where this snapshot does.</summary>
    public bool IsAt(CapturePosition position) => HasWal
        ? SameGeneration(position.Salt1, position.Salt2) && WalEnd == position.WalEnd && PageCount == position.Commit
        : position.Salt1 == 0 && position.Salt2 == 0 && PageCount == position.Commit;

    public bool SameGeneration(uint salt1, uint salt2) => Salt1 == salt1 && Salt2 == salt2;

    /// <summary>SQLite adds one to salt-1 each time it restarts the WAL: this snapshot reads the generation after that one.</summary>
    public bool FollowsGeneration(uint salt1) => HasWal && Salt1 == unchecked(salt1 + 1);

    /// <summary>Parses the native snapshot: counters in the host's byte order, salts as the WAL header stores them.</summary>
    public static SqliteSnapshot FromNative(ReadOnlySpan<byte> native, uint pageCount)
    {
        var rawPageSize = MemoryMarshal.Read<ushort>(native[14..]);
        return new SqliteSnapshot(
            BinaryPrimitives.ReadUInt32BigEndian(native[32..]),
            BinaryPrimitives.ReadUInt32BigEndian(native[36..]),
            MemoryMarshal.Read<uint>(native[16..]),
            pageCount,
            rawPageSize == 1 ? 65536u : rawPageSize,
            MemoryMarshal.Read<uint>(native[24..]),
            MemoryMarshal.Read<uint>(native[28..]));
    }

    public static SqliteSnapshot WithoutWal(uint pageCount, uint pageSize) => new(0, 0, 0, pageCount, pageSize, 0, 0);

    public override string ToString() => $"salts={Salt1:x8}/{Salt2:x8} frame={MaxFrame} pages={PageCount}";
}
