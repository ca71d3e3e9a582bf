using System.Net.Sockets;
using LitestreamActors.Storage;

namespace LitestreamActors.Node.Control;

/// <summary>
/// The unix control socket's path. It is bound inside a fresh owner-only folder beside its final path, given its
/// permissions there, and only then renamed into place, so no one outside those permissions can connect even for an
/// instant. A stale socket left by a crash is replaced; a live one (another node) or a regular file is an error.
/// </summary>
public static class ControlSocket
{
    /// <summary>Checks the final path and makes the private folder to bind in; returns the path to bind.</summary>
    public static string PrepareBind(string path)
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
        var staging = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}");
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(staging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return Path.Combine(staging, "s");
    }

    /// <summary>After the socket listens at <paramref name="bound"/>: its permissions, then the rename into place.</summary>
    public static void Publish(string bound, string path, UnixFileMode permissions)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bound, permissions);
        }
        File.Move(bound, path, overwrite: false);
        Directory.Delete(Path.GetDirectoryName(bound)!);
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
