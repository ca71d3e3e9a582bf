using System.Buffers.Binary;
using LitestreamActors.Storage.Checksums;
using LitestreamActors.Storage.IO;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The state our L0 files claim at a TXID, kept across a clean stop (<c>.&lt;db&gt;-litestream/page-state</c>, ours):
/// each page's checksum and page 1 itself. At the next start, when the WAL no longer continues the newest file (the
/// application closed last and SQLite removed the WAL, or checkpointed it while we were down), the database is read
/// once and compared with it page by page: no difference, nothing is written; otherwise only the pages that differ
/// go into the next L0 file, instead of a full copy of the database. Written as temp, fsynced, renamed; a file for
/// another TXID than the newest L0 file, or one whose checksum fails, is not used.
/// </summary>
public sealed record PageStateFile(ulong Txid, uint PageSize, byte[] Page1, ulong[] Pages)
{
    public const string FileName = "page-state";
    private const uint Magic = 0x4C534150; // "LSAP"
    private const uint Version = 1;
    private const int HeaderSize = 4 + 4 + 8 + 4 + 4 + 4;

    public static string PathIn(string metaPath) => Path.Combine(metaPath, FileName);

    public void Write(string metaPath)
    {
        var bytes = new byte[HeaderSize + Page1.Length + Pages.Length * 8 + 8];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], Version);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], Txid);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], PageSize);
        BinaryPrimitives.WriteUInt32BigEndian(span[20..], (uint)Pages.Length);
        BinaryPrimitives.WriteUInt32BigEndian(span[24..], (uint)Page1.Length);
        Page1.CopyTo(span[HeaderSize..]);
        var offset = HeaderSize + Page1.Length;
        foreach (var sum in Pages)
        {
            BinaryPrimitives.WriteUInt64BigEndian(span[offset..], sum);
            offset += 8;
        }
        BinaryPrimitives.WriteUInt64BigEndian(span[offset..], Crc64Iso.Compute(span[..offset]));
        var path = PathIn(metaPath);
        var temp = path + ".tmp";
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            output.Write(bytes);
            output.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        DurableFile.FsyncDirectory(metaPath);
    }

    /// <summary>The state kept for <paramref name="txid"/>, or null when there is none for it (or it is damaged).</summary>
    public static PageStateFile? Read(string metaPath, ulong txid)
    {
        var path = PathIn(metaPath);
        if (!File.Exists(path))
        {
            return null;
        }
        var bytes = File.ReadAllBytes(path);
        var span = bytes.AsSpan();
        if (bytes.Length < HeaderSize + 8 || BinaryPrimitives.ReadUInt32BigEndian(span) != Magic || BinaryPrimitives.ReadUInt32BigEndian(span[4..]) != Version
            || Crc64Iso.Compute(span[..^8]) != BinaryPrimitives.ReadUInt64BigEndian(span[^8..]) || BinaryPrimitives.ReadUInt64BigEndian(span[8..]) != txid)
        {
            return null;
        }
        var count = BinaryPrimitives.ReadUInt32BigEndian(span[20..]);
        var page1Length = BinaryPrimitives.ReadUInt32BigEndian(span[24..]);
        if ((long)HeaderSize + page1Length + count * 8L + 8 != bytes.Length)
        {
            return null;
        }
        var pages = new ulong[count];
        var offset = HeaderSize + (int)page1Length;
        for (var i = 0; i < pages.Length; i++, offset += 8)
        {
            pages[i] = BinaryPrimitives.ReadUInt64BigEndian(span[offset..]);
        }
        return new PageStateFile(txid, BinaryPrimitives.ReadUInt32BigEndian(span[16..]), span.Slice(HeaderSize, (int)page1Length).ToArray(), pages);
    }
}
