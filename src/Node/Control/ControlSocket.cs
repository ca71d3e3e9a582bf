using System.Net.Sockets;
using LitestreamActors.Storage;

namespace LitestreamActors.Node.Control;

/// <summary>
/// The unix control socket, bound and given its permissions before it listens, so no one outside them can connect even
/// for an instant. A stale socket left by a crash is replaced; a live one (another node) or a regular file is an error.
/// </summary>
public static class ControlSocket
{
    public static Socket Listen(string path, UnixFileMode permissions)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory) && !OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        if (File.Exists(path))
        {
            RemoveStale(path);
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, permissions);
            }
            socket.Listen(128);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void RemoveStale(string path)
    {
        if (new FileInfo(path).Length > 0)
        {
            throw new StorageException($"control socket path {path} is a file, not a socket; remove it or set socket.path");
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }
        throw new StorageException($"control socket {path} is in use by another running node");
    }
}
