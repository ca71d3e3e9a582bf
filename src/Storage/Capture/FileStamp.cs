using System.Runtime.InteropServices;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// A file's identity, size and status-change time (stat(2)'s st_ctim, which every write moves and no utime call can
/// set back): equal stamps taken apart in time mean nothing was written between them, once the first is older than the
/// file system's timestamp granularity (docs/capture.md, "Idle databases").
/// </summary>
public readonly record struct FileStamp(FileIdentity Identity, long Size, long ChangedSeconds, long ChangedNanoseconds)
{
    /// <summary>When the file last changed, to the clock's resolution.</summary>
    public DateTime Changed => DateTime.UnixEpoch.AddSeconds(ChangedSeconds).AddTicks(ChangedNanoseconds / 100);

    /// <summary>The stamp of the file at <paramref name="path"/>; null when there is none.</summary>
    public static FileStamp? Of(string path)
    {
        // struct stat on the 64-bit Linux ABIs we build for (x86-64 and the generic one of arm64 alike): st_dev at 0,
        // st_ino at 8, st_size at 48, st_ctim at 104.
        Span<byte> buffer = stackalloc byte[256];
        if (Stat(path, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }
        return new FileStamp(
            new FileIdentity(BitConverter.ToUInt64(buffer[0..]), BitConverter.ToUInt64(buffer[8..])),
            BitConverter.ToInt64(buffer[48..]),
            BitConverter.ToInt64(buffer[104..]),
            BitConverter.ToInt64(buffer[112..]));
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref byte buffer);
}
