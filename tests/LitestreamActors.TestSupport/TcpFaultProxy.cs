using System.Net;
using System.Net.Sockets;

namespace LitestreamActors.TestSupport;

/// <summary>
/// Fault injection in front of a real server: a loopback TCP proxy that forwards everything until told to fail. While
/// down it drops every open connection and closes new ones at once, as a server that went away would look.
/// <see cref="CutAfterUpload"/> takes it down in the middle of a request body; <see cref="DownloadBytesPerSecond"/> makes
/// responses slow (a restore that takes long enough for retention to run under it); <see cref="CutDownloads"/> resets
/// connections in the middle of a response. <see cref="Stall"/> makes it a black hole: connections stay open and carry
/// nothing, forever for those open during the stall, so only a client's own timeout gets it going again;
/// <see cref="UploadBytesPerSecond"/> makes a slow link.
/// </summary>
public sealed class TcpFaultProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Text.StringBuilder _uploaded = new();
    private long _uploadBudget = long.MaxValue;
    private int _downloadCuts;
    private long _cutDownloadAfter;
    // Each client connection and the server connection it is forwarded to.
    private readonly Dictionary<TcpClient, TcpClient> _clients = [];
    private readonly HashSet<TcpClient> _frozen = [];
    private volatile bool _down;
    private volatile bool _stalled;
    private int _everFrozen;

    public TcpFaultProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Server-to-client bytes per second on each connection; 0 (the default) forwards at full speed.</summary>
    public int DownloadBytesPerSecond { get; set; }

    /// <summary>Client-to-server bytes per second on each connection; 0 (the default) forwards at full speed.</summary>
    public int UploadBytesPerSecond { get; set; }

    /// <summary>Every connection a stall froze, given up since or not.</summary>
    public int EverFrozen => Volatile.Read(ref _everFrozen);

    /// <summary>Connections frozen by a stall that their clients have not given up yet.</summary>
    public int Frozen
    {
        get
        {
            lock (_frozen)
            {
                return _frozen.Count;
            }
        }
    }

    /// <summary>What clients sent, as Latin-1 text (the first 64 MiB): request lines and headers for HTTP.</summary>
    public string Uploaded
    {
        get
        {
            lock (_uploaded)
            {
                return _uploaded.ToString();
            }
        }
    }

    public void Cut()
    {
        _down = true;
        lock (_open)
        {
            foreach (var connection in _open)
            {
                connection.Client?.Close(0);
            }
            _open.Clear();
        }
    }

    /// <summary>Every open connection stops carrying anything, for good; new ones do too until <see cref="EndStall"/>.</summary>
    public void Stall()
    {
        _stalled = true;
        lock (_frozen)
        {
            foreach (var (client, server) in _clients.Where(pair => _frozen.Add(pair.Key)))
            {
                // The server sees the request it was receiving end now, not when the client gives up: a server that
                // writes a file as its body arrives (s3rver) would otherwise finish a stale one after the retry.
                server.Client?.Close(0);
                Interlocked.Increment(ref _everFrozen);
            }
        }
    }

    /// <summary>New connections forward again; those frozen stay so until their clients close them.</summary>
    public void EndStall() => _stalled = false;

    /// <summary>Forwards <paramref name="bytes"/> more bytes towards the server, then cuts.</summary>
    public void CutAfterUpload(long bytes) => Interlocked.Exchange(ref _uploadBudget, bytes);

    /// <summary>The next <paramref name="times"/> connections that receive more than <paramref name="afterBytes"/> bytes are reset there.</summary>
    public void CutDownloads(int times, long afterBytes)
    {
        Interlocked.Exchange(ref _cutDownloadAfter, afterBytes);
        Interlocked.Exchange(ref _downloadCuts, times);
    }

    public void Restore()
    {
        Interlocked.Exchange(ref _uploadBudget, long.MaxValue);
        _down = false;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (_down)
            {
                client.Client.Close(0);
                continue;
            }
            _ = Forward(client);
        }
    }

    private async Task Forward(TcpClient client)
    {
        var server = new TcpClient();
        try
        {
            await server.ConnectAsync(_targetHost, _targetPort);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(server);
            }
            lock (_frozen)
            {
                _clients.Add(client, server);
                if (_stalled && _frozen.Add(client))
                {
                    Interlocked.Increment(ref _everFrozen);
                }
            }
            var up = Pump(client, client.GetStream(), server.GetStream(), upload: true, () => { });
            var down = Pump(client, server.GetStream(), client.GetStream(), upload: false, () => { client.Client.Close(0); server.Client.Close(0); });
            await Task.WhenAny(up, down);
            if (IsFrozen(client))
            {
                // Only the client may end a frozen connection, by giving up on it.
                await up;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_frozen)
            {
                _clients.Remove(client);
                _frozen.Remove(client);
            }
            client.Dispose();
            server.Dispose();
        }
    }

    private async Task Pump(TcpClient client, Stream from, Stream to, bool upload, Action reset)
    {
        var buffer = new byte[16384];
        long sent = 0;
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                // A frozen connection reads on, so the client sees its writes go out, and carries nothing further.
                if (IsFrozen(client))
                {
                    continue;
                }
                if (!upload && sent + read > Interlocked.Read(ref _cutDownloadAfter) && Volatile.Read(ref _downloadCuts) > 0
                    && Interlocked.Decrement(ref _downloadCuts) >= 0)
                {
                    await to.WriteAsync(buffer.AsMemory(0, (int)Math.Max(0, Interlocked.Read(ref _cutDownloadAfter) - sent)));
                    reset();
                    return;
                }
                sent += read;
                if (upload && Interlocked.Add(ref _uploadBudget, -read) < 0)
                {
                    Cut();
                    return;
                }
                if (upload)
                {
                    lock (_uploaded)
                    {
                        _uploaded.Append(System.Text.Encoding.Latin1.GetString(buffer, 0, Math.Min(read, Math.Max(0, (64 << 20) - _uploaded.Length))));
                    }
                }
                await to.WriteAsync(buffer.AsMemory(0, read));
                var rate = upload ? UploadBytesPerSecond : DownloadBytesPerSecond;
                if (rate > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)read / rate));
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private bool IsFrozen(TcpClient client)
    {
        lock (_frozen)
        {
            return _frozen.Contains(client);
        }
    }
}
