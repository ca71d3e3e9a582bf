using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LitestreamActors.Storage.IO;

/// <summary>
/// Starts the disk writes of a large file while it is still being produced, so its closing fsync has little left to
/// wait for (docs/performance.md, "Catch-up"). Every step of bytes written, at whatever offsets, it asks the kernel to
/// start writing back every dirty page of the file; for a file written in order that is the part written since the
/// last hint. Only a hint: the fsync is still what makes the file durable, and a hint the kernel refuses changes nothing.
/// </summary>
public sealed class WriteBehind(SafeFileHandle handle)
{
    /// <summary>Bytes written between two hints: small enough to overlap the writing, large enough to cost nothing.</summary>
    public const long StepBytes = 16 << 20;

    private const uint SyncFileRangeWrite = 2; // SYNC_FILE_RANGE_WRITE: start writeback of dirty pages, do not wait

    private long _hintedAt;

    /// <summary>The count of bytes written from which the next hint is worth giving.</summary>
    public long Next => _hintedAt + StepBytes;

    /// <summary>Gives the hint once <paramref name="written"/>, the bytes written to the file so far (all in the kernel's hands), makes a step more.</summary>
    public void Written(long written)
    {
        if (written < Next)
        {
            return;
        }
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(handle, 0, 0, SyncFileRangeWrite);
        }
        _hintedAt = written;
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
