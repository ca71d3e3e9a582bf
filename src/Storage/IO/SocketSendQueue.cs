using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LitestreamActors.Storage.IO;

/// <summary>Bytes written to a TCP socket that its peer has not acknowledged yet (Linux's SIOCOUTQ); 0 where unknown.</summary>
public static class SocketSendQueue
{
    private const ulong OutQueue = 0x5411;

    public static long Unsent(Socket socket)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }
        try
        {
            return Ioctl((int)socket.SafeHandle.DangerousGetHandle(), OutQueue, out var bytes) == 0 ? bytes : 0;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(int fd, ulong request, out int bytes);
}
