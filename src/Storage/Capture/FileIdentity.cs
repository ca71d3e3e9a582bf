using System.Runtime.InteropServices;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Which file a path names (device and inode, from stat(2)): a database restored over or deleted and created again under
/// the node gets a new identity while our connections still read the old file (docs/reliability.md).
/// </summary>
public readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>The identity of the file at <paramref name="path"/>; null when there is none.</summary>
    public static FileIdentity? Of(string path)
    {
        // struct stat begins with st_dev and st_ino, 8 bytes each, on the 64-bit Linux ABIs we build for.
        var buffer = new byte[256];
        return Stat(path, buffer) == 0 ? new FileIdentity(BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8)) : null;
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}
