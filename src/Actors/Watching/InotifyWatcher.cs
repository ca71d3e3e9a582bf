using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace LitestreamActors.Actors.Watching;

/// <summary>
/// Every watched directory on one inotify instance and one thread (docs/scale.md): .NET's FileSystemWatcher takes an
/// instance and a thread per directory, so a node with a thousand databases in a hundred folders had a hundred
/// threads and hit the per-user instance limit (128 here). Only the per-user watch limit applies now (thousands).
/// </summary>
public sealed class InotifyWatcher : IDisposable
{
    private const int CloseOnExec = 0x80000;
    private const int NonBlocking = 0x800;
    private const uint Modify = 0x2;
    private const uint CloseWrite = 0x8;
    private const uint MovedTo = 0x80;
    private const uint Create = 0x100;
    private const short PollIn = 0x1;
    private const int EventHeader = 16;

    private readonly int _fd;
    private readonly Action<string> _changed;
    private readonly ConcurrentDictionary<int, string> _directories = new();
    private readonly Thread _reader;
    private volatile bool _stopping;

    /// <param name="changed">Called on the watcher's thread with the full path of a file that changed.</param>
    public InotifyWatcher(Action<string> changed)
    {
        _changed = changed;
        _fd = inotify_init1(CloseOnExec | NonBlocking);
        if (_fd < 0)
        {
            throw new IOException($"cannot watch for changes: inotify_init1 failed (errno {Marshal.GetLastPInvokeError()})");
        }
        _reader = new Thread(Read) { IsBackground = true, Name = "wal-watcher" };
        _reader.Start();
    }

    /// <summary>Starts watching a directory's files; returns its watch, or throws when the system allows no more watches.</summary>
    public int Add(string directory)
    {
        var wd = inotify_add_watch(_fd, directory, Modify | CloseWrite | MovedTo | Create);
        if (wd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException(errno == 28
                ? "the system's inotify watch limit is reached (fs.inotify.max_user_watches)"
                : $"inotify_add_watch failed for {directory} (errno {errno})");
        }
        _directories[wd] = directory;
        return wd;
    }

    public void Remove(int wd)
    {
        if (_directories.TryRemove(wd, out _) && !_stopping)
        {
            _ = inotify_rm_watch(_fd, wd);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _reader.Join(TimeSpan.FromSeconds(2));
    }

    // Polls with a timeout so Dispose is seen within half a second; each read drains whole events. The descriptor is
    // closed here, not in Dispose: a poll held past Dispose's wait (a stopped or time-shifted process) must never
    // find its number reused by another file and read that file's bytes as events.
    private void Read()
    {
        var buffer = new byte[64 * 1024];
        var wait = new PollFd { Fd = _fd, Events = PollIn };
        try
        {
            while (!_stopping)
            {
                wait.Revents = 0;
                if (poll(ref wait, 1, 500) > 0)
                {
                    Deliver(buffer, (int)read_fd(_fd, buffer, buffer.Length));
                }
            }
        }
        finally
        {
            _ = close(_fd);
        }
    }

    private void Deliver(byte[] buffer, int read)
    {
        for (var offset = 0; offset + EventHeader <= read;)
        {
            var wd = BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(offset));
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(offset + 12));
            if (length < 0 || length > read - offset - EventHeader)
            {
                return;
            }
            var name = Encoding.UTF8.GetString(buffer, offset + EventHeader, length).TrimEnd('\0');
            if (name.Length > 0 && _directories.TryGetValue(wd, out var directory))
            {
                _changed(Path.Combine(directory, name));
            }
            offset += EventHeader + length;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_init1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_add_watch(int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mask);

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_rm_watch(int fd, int wd);

    [DllImport("libc", SetLastError = true)]
    private static extern int poll(ref PollFd fds, uint count, int timeout);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint read_fd(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
