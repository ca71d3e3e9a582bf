using System.Runtime.InteropServices;
using System.Text;

namespace LitestreamActors.Storage.IO;

/// <summary>
/// Extended attributes (<c>user.*</c>), the file backend's metadata: a file system without them (or off Linux) keeps
/// none, which is not an error: the attribute is for attribution, never for correctness.
/// </summary>
public static class FileAttributes
{
    public static void TrySet(string path, string name, string value)
    {
        if (OperatingSystem.IsLinux())
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            _ = SetXattr(path, name, bytes, (nuint)bytes.Length, 0);
        }
    }

    public static string? TryGet(string path, string name)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var buffer = new byte[256];
        var length = GetXattr(path, name, buffer, (nuint)buffer.Length);
        return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    [DllImport("libc", EntryPoint = "setxattr", SetLastError = true)]
    private static extern int SetXattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nuint size, int flags);

    [DllImport("libc", EntryPoint = "getxattr", SetLastError = true)]
    private static extern nint GetXattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nuint size);
}
