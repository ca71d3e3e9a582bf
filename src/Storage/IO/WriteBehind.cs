using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LitestreamActors.Storage.IO;

/// <summary>
/// Starts the disk writes of a large file's finished part while the rest is still being produced, so its closing
/// fsync has little left to wait for (docs/performance.md, "Catch-up"). Only a hint: the fsync is still what makes
/// the file durable, and a hint the kernel refuses changes nothing.
/// </summary>
public sealed class WriteBehind(SafeFileHandle handle)
{
    /// <summary>Bytes written between two hints: small enough to overlap the writing, large enough to cost nothing.</summary>
    public const long StepBytes = 16 << 20;

    private const uint SyncFileRangeWrite = 2; // SYNC_FILE_RANGE_WRITE: start writeback of dirty pages, do not wait

    private long _started;
    private long _unhinted;

    /// <summary>The length from which the next hint is worth giving.</summary>
    public long Next => _started + StepBytes;

    /// <summary>Starts writeback of the file's bytes before <paramref name="written"/> (all in the kernel's hands) not started yet, once they make a step.</summary>
    public void Written(long written)
    {
        if (written < Next)
        {
            return;
        }
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(handle, _started, written - _started, SyncFileRangeWrite);
        }
        _started = written;
    }

    /// <summary>
    /// For a file written at any offsets (a restore applying files in turn): once a step's worth of bytes has been written
    /// since the last hint, starts writeback of every dirty page of the file.
    /// </summary>
    public void WroteAnywhere(long bytes)
    {
        _unhinted += bytes;
        if (_unhinted < StepBytes)
        {
            return;
        }
        if (OperatingSystem.IsLinux())
        {
            _ = SyncFileRange(handle, 0, 0, SyncFileRangeWrite);
        }
        _unhinted = 0;
    }

    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(SafeFileHandle fd, long offset, long nbytes, uint flags);
}
