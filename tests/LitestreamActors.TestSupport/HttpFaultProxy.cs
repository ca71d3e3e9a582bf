using System.Net;

namespace LitestreamActors.TestSupport;

/// <summary>
/// Fault injection in front of a real HTTP server (s3rver, Azurite, Apache WebDAV): a loopback reverse proxy that
/// forwards every request as it came (the Host header too, so signatures still match) until told to answer the next
/// requests itself with an error status (500, 503, or 429 with <c>Retry-After</c>), and counts the requests it saw.
/// With <see cref="Latency"/> each forwarded request waits first, as a distant store's time to answer.
/// </summary>
public sealed class HttpFaultProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _client;
    private readonly Uri _target;
    private int _failures;
    private int _status;
    private int _retryAfterSeconds;
    private int _requests;
    private long _latencyTicks;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _seen = new();

    public HttpFaultProxy(string target)
    {
        _target = new Uri(target);
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(5) };
        Port = FreeTcpPort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    /// <summary>Requests received so far, forwarded or answered with a fault.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Each request seen, in order: its number, method and path.</summary>
    public IReadOnlyList<string> Seen => [.. _seen];

    /// <summary>How long each request waits before it is forwarded.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, value.Ticks);
    }

    /// <summary>The next <paramref name="count"/> requests get <paramref name="status"/> (with Retry-After when given).</summary>
    public void Fail(int count, int status, int retryAfterSeconds = 0)
    {
        Interlocked.Exchange(ref _status, status);
        Interlocked.Exchange(ref _retryAfterSeconds, retryAfterSeconds);
        Interlocked.Exchange(ref _failures, count);
    }

    public void Dispose()
    {
        _listener.Close();
        _client.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        _seen.Enqueue($"{Interlocked.Increment(ref _requests)} {DateTimeOffset.UtcNow:HH:mm:ss.fff} {context.Request.HttpMethod} {context.Request.RawUrl}");
        var response = context.Response;
        try
        {
            if (Interlocked.Decrement(ref _failures) >= 0)
            {
                // As a real server does: the request is read before the answer, so the connection stays usable. Left
                // unread, the client's pool keeps connections that fail on reuse and resends into each of them at once.
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                response.StatusCode = Volatile.Read(ref _status);
                if (Volatile.Read(ref _retryAfterSeconds) is > 0 and var seconds)
                {
                    response.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                response.Close();
                return;
            }
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency);
            }
            await Forward(context.Request, response);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or HttpListenerException or TaskCanceledException)
        {
            response.Abort();
        }
    }

    private async Task Forward(HttpListenerRequest request, HttpListenerResponse response)
    {
        using var forwarded = new HttpRequestMessage(new HttpMethod(request.HttpMethod), new Uri(_target, request.RawUrl));
        if (request.HasEntityBody)
        {
            forwarded.Content = new StreamContent(request.InputStream);
        }
        foreach (var name in request.Headers.AllKeys.OfType<string>())
        {
            var values = request.Headers.GetValues(name) ?? [];
            if (name.Equals("Expect", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (!forwarded.Headers.TryAddWithoutValidation(name, values))
            {
                forwarded.Content?.Headers.TryAddWithoutValidation(name, values);
            }
        }
        using var answer = await _client.SendAsync(forwarded, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                response.ContentLength64 = long.Parse(values.First(), System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }
            response.Headers[name] = string.Join(",", values);
        }
        await answer.Content.CopyToAsync(response.OutputStream);
        response.Close();
    }
}
