using System.Net.Sockets;

namespace LitestreamActors.Node.Control;

/// <summary>
/// The control socket listens from the start, but its HTTP server starts when the first client connects: a node
/// nobody asks never loads Kestrel (about 13 MB of resident memory and a tenth of a second at start; docs/performance.md,
/// "Memory"). The first connection waits in the socket's backlog until the server, given the listening socket's
/// descriptor (it does not own it), accepts it. Nothing here names an ASP.NET Core type: a delegate over one (a
/// <c>Func&lt;…, WebApplication&gt;</c>) would load those assemblies when made, at start.
/// </summary>
public sealed class DeferredSocketServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<ulong, Task<IAsyncDisposable>> _start;
    private readonly Action<Exception> _failed;
    private readonly Thread _waiter;
    private readonly Lock _gate = new();
    private Task<IAsyncDisposable?>? _server;
    private bool _disposed;

    private DeferredSocketServer(Socket listener, Func<ulong, Task<IAsyncDisposable>> start, Action<Exception> failed)
    {
        _listener = listener;
        _start = start;
        _failed = failed;
        _waiter = new Thread(WaitForFirstClient) { IsBackground = true, Name = "control-socket" };
    }

    /// <summary>Binds and listens at <paramref name="path"/> now; <paramref name="start"/> runs on the first connection.</summary>
    public static DeferredSocketServer Listen(string path, Func<ulong, Task<IAsyncDisposable>> start, Action<Exception> failed)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        var server = new DeferredSocketServer(listener, start, failed);
        server._waiter.Start();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        Task<IAsyncDisposable?>? server;
        lock (_gate)
        {
            _disposed = true;
            server = _server;
        }
        if (server is null)
        {
            // Closing the socket ends the waiter's poll.
            _listener.Dispose();
            _waiter.Join(TimeSpan.FromSeconds(5));
            return;
        }
        if (await server is { } app)
        {
            await app.DisposeAsync();
        }
        _listener.Dispose();
    }

    private void WaitForFirstClient()
    {
        try
        {
            _listener.Poll(-1, SelectMode.SelectRead);
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException)
        {
            return;
        }
        lock (_gate)
        {
            if (!_disposed)
            {
                _server = StartServer((ulong)_listener.Handle);
            }
        }
    }

    private async Task<IAsyncDisposable?> StartServer(ulong descriptor)
    {
        try
        {
            return await _start(descriptor);
        }
        catch (Exception e)
        {
            // Refused rather than left waiting in the backlog.
            _failed(e);
            _listener.Dispose();
            return null;
        }
    }
}
