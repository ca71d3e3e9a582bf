using System.Buffers.Binary;
using K4os.Compression.LZ4;
using K4os.Hash.xxHash;
using LitestreamActors.Storage.IO;

namespace LitestreamActors.Storage.Compression;

/// <summary>
/// The LZ4 frame format (magic 0x184D2204), read block by block so a frame embedded in a larger
/// file ends exactly where its bytes end. Used by older LTX pages and Litestream 0.3 backups.
/// </summary>
internal static class Lz4FrameCodec
{
    public const uint Magic = 0x184D2204;
    private const byte FlagVersionMask = 0xC0;
    private const byte FlagVersion1 = 0x40;
    private const byte FlagBlockIndependence = 0x20;
    private const byte FlagBlockChecksum = 0x10;
    private const byte FlagContentSize = 0x08;
    private const byte FlagContentChecksum = 0x04;
    private const byte FlagReserved = 0x02;
    private const byte FlagDictionaryId = 0x01;
    private const uint BlockUncompressedBit = 0x80000000;

    // FLG 0x64: version 1, independent blocks, content checksum. BD 0x40: 64 KiB blocks. As Litestream 0.5.0-0.5.15 wrote it.
    private const byte PageFrameFlags = FlagVersion1 | FlagBlockIndependence | FlagContentChecksum;
    private const byte PageFrameBlockDescriptor = 0x40;

    /// <summary>Decodes one whole frame into <paramref name="destination"/> and returns the decoded length.</summary>
    public static int Decode(ExactReader reader, Span<byte> destination, Func<string, Exception> corrupt)
    {
        Span<byte> word = stackalloc byte[4];
        reader.ReadExactly(word);
        if (BinaryPrimitives.ReadUInt32LittleEndian(word) != Magic)
        {
            throw corrupt("bad LZ4 frame magic");
        }
        Span<byte> descriptor = stackalloc byte[2 + 8 + 4];
        reader.ReadExactly(descriptor[..2]);
        var flags = descriptor[0];
        if ((flags & FlagVersionMask) != FlagVersion1 || (flags & FlagReserved) != 0 || (flags & FlagDictionaryId) != 0)
        {
            throw corrupt($"unsupported LZ4 frame flags 0x{flags:x2}");
        }
        var maxBlock = MaxBlockSize(descriptor[1]) ?? throw corrupt($"bad LZ4 block descriptor 0x{descriptor[1]:x2}");
        var descriptorLength = 2;
        if ((flags & FlagContentSize) != 0)
        {
            reader.ReadExactly(descriptor.Slice(2, 8));
            descriptorLength += 8;
        }
        var headerChecksum = reader.ReadByte();
        if (headerChecksum != (byte)(XXH32.DigestOf(descriptor[..descriptorLength]) >> 8))
        {
            throw corrupt("LZ4 frame header checksum mismatch");
        }

        var independent = (flags & FlagBlockIndependence) != 0;
        var hasBlockChecksum = (flags & FlagBlockChecksum) != 0;
        var block = System.Buffers.ArrayPool<byte>.Shared.Rent(maxBlock);
        try
        {
            var written = 0;
            while (true)
            {
                reader.ReadExactly(word);
                var sizeField = BinaryPrimitives.ReadUInt32LittleEndian(word);
                if (sizeField == 0)
                {
                    break;
                }
                var stored = (sizeField & BlockUncompressedBit) != 0;
                var size = (int)(sizeField & ~BlockUncompressedBit);
                if (size > maxBlock)
                {
                    throw corrupt("LZ4 block larger than its frame allows");
                }
                var data = block.AsSpan(0, size);
                reader.ReadExactly(data);
                if (hasBlockChecksum)
                {
                    reader.ReadExactly(word);
                    if (BinaryPrimitives.ReadUInt32LittleEndian(word) != XXH32.DigestOf(data))
                    {
                        throw corrupt("LZ4 block checksum mismatch");
                    }
                }
                var target = destination[written..];
                int n;
                if (stored)
                {
                    if (size > target.Length)
                    {
                        throw corrupt("LZ4 frame decodes to more bytes than expected");
                    }
                    data.CopyTo(target);
                    n = size;
                }
                else
                {
                    var dictionary = independent ? ReadOnlySpan<byte>.Empty : destination[Math.Max(0, written - 65536)..written];
                    n = LZ4Codec.Decode(data, target, dictionary);
                    if (n < 0)
                    {
                        throw corrupt("corrupt LZ4 block");
                    }
                }
                written += n;
            }
            if ((flags & FlagContentSize) != 0 && BinaryPrimitives.ReadUInt64LittleEndian(descriptor.Slice(2, 8)) != (ulong)written)
            {
                throw corrupt("LZ4 frame content size mismatch");
            }
            if ((flags & FlagContentChecksum) != 0)
            {
                reader.ReadExactly(word);
                if (BinaryPrimitives.ReadUInt32LittleEndian(word) != XXH32.DigestOf(destination[..written]))
                {
                    throw corrupt("LZ4 frame content checksum mismatch");
                }
            }
            return written;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>Encodes one page as a single-block frame, FLG 0x64 / BD 0x40, the only shape older readers accept.</summary>
    public static int EncodePage(ReadOnlySpan<byte> page, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        destination[4] = PageFrameFlags;
        destination[5] = PageFrameBlockDescriptor;
        destination[6] = (byte)(XXH32.DigestOf(destination.Slice(4, 2)) >> 8);
        var blockData = destination[11..];
        var compressed = LZ4Codec.Encode(page, blockData[..Math.Min(blockData.Length, page.Length - 1)]);
        int blockLength;
        if (compressed > 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[7..], (uint)compressed);
            blockLength = compressed;
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[7..], (uint)page.Length | BlockUncompressedBit);
            page.CopyTo(blockData);
            blockLength = page.Length;
        }
        var end = 11 + blockLength;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[end..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(end + 4)..], XXH32.DigestOf(page));
        return end + 8;
    }

    /// <summary>Upper bound of <see cref="EncodePage"/>'s output.</summary>
    public static int MaxPageFrameLength(int pageSize) => 11 + pageSize + 8;

    private static int? MaxBlockSize(byte blockDescriptor) => (blockDescriptor & 0x8F) != 0 ? null : ((blockDescriptor >> 4) & 0x7) switch
    {
        4 => 64 * 1024,
        5 => 256 * 1024,
        6 => 1024 * 1024,
        7 => 4 * 1024 * 1024,
        _ => null,
    };
}
