using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LitestreamActors.Storage.IO;

/// <summary>
/// Copies a whole file in the kernel (copy_file_range), a step at a time with each step's writeback started behind it,
/// so the copy and its fsync overlap (docs/performance.md, "Catch-up"). Where the kernel cannot copy between the two
/// files (another system, an old kernel) the bytes go through a buffer instead.
/// </summary>
public static class KernelFileCopy
{
    private const int BufferBytes = 80 << 10;

    // errno values meaning "not between these files": not implemented, across file systems, unsupported.
    private static readonly int[] Unsupported = [38, 18, 22, 95, 1];

    /// <summary>Copies the <paramref name="length"/> bytes of <paramref name="source"/> into the empty <paramref name="destination"/>.</summary>
    public static void Copy(SafeFileHandle source, SafeFileHandle destination, long length, string name)
    {
        if (TryCopy(source, destination, length, name))
        {
            return;
        }
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferBytes);
        try
        {
            long offset = 0;
            while (offset < length && RandomAccess.Read(source, buffer, offset) is > 0 and var read)
            {
                RandomAccess.Write(destination, buffer.AsSpan(0, read), offset);
                offset += read;
            }
            if (offset < length)
            {
                throw new IOException($"copying {name}: the file ended at {offset} of {length} bytes");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool TryCopy(SafeFileHandle source, SafeFileHandle destination, long length, string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var writeBehind = new WriteBehind(destination);
        long inOffset = 0;
        long outOffset = 0;
        while (outOffset < length)
        {
            var copied = CopyFileRange(source, ref inOffset, destination, ref outOffset, (nuint)Math.Min(WriteBehind.StepBytes, length - outOffset), 0);
            if (copied < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (outOffset == 0 && Unsupported.Contains(errno))
                {
                    return false;
                }
                throw new IOException($"copying {name}: copy_file_range failed (errno {errno})");
            }
            if (copied == 0)
            {
                throw new IOException($"copying {name}: the file ended at {outOffset} of {length} bytes");
            }
            writeBehind.Written(outOffset);
        }
        return true;
    }

    [DllImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    private static extern nint CopyFileRange(SafeFileHandle input, ref long inputOffset, SafeFileHandle output, ref long outputOffset, nuint length, uint flags);
}
