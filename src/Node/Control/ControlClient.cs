using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using LitestreamActors.Storage;

namespace LitestreamActors.Node.Control;

/// <summary>
/// Talks to a running node's control API, over its unix socket or its HTTP address (with the bearer token when one
/// is set). A node that is not there is <see cref="NodeUnavailableException"/>; a refusal is one line from the node.
/// </summary>
public sealed class ControlClient : IDisposable
{
    // Made on the first request: a command that finds no node's socket never loads the HTTP stack (docs/performance.md).
    private readonly Func<HttpClient> _connect;
    private readonly string _where;
    private readonly string? _socketPath;
    private HttpClient? _http;

    private ControlClient(Func<HttpClient> connect, string where, string? socketPath = null)
    {
        _connect = connect;
        _where = where;
        _socketPath = socketPath;
    }

    public static ControlClient ForSocket(string path) => new(() => SocketClient(path), "unix:" + path, path);

    private static HttpClient SocketClient(string path)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost/api/v1/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public static ControlClient ForAddress(string addr, string? token)
    {
        var address = ListenAddress.Parse(addr, "-addr");
        var host = address.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1"
            : address.Address.Equals(System.Net.IPAddress.IPv6Any) ? "[::1]"
            : address.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Address}]" : address.Address.ToString();
        return new ControlClient(() =>
        {
            var http = new HttpClient { BaseAddress = new Uri($"http://{host}:{address.Port}/api/v1/"), Timeout = Timeout.InfiniteTimeSpan };
            if (token is not null)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }
            return http;
        }, "http://" + address);
    }

    public Task<JsonElement> GetAsync(string relative, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, relative), cancellationToken);

    public Task<JsonElement> PostAsync<TBody>(string relative, TBody body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, relative) { Content = JsonContent.Create(body, options: ControlApi.JsonOptions) }, cancellationToken);

    public void Dispose() => _http?.Dispose();

    /// <summary>
    /// A POST whose successful answer the caller reads (a restored database streamed back) and disposes; a refusal is
    /// the node's one line, as for every other request.
    /// </summary>
    public Task<HttpResponseMessage> PostForResponseAsync<TBody>(string relative, TBody body, CancellationToken cancellationToken) =>
        SendForResponseAsync(new HttpRequestMessage(HttpMethod.Post, relative) { Content = JsonContent.Create(body, options: ControlApi.JsonOptions) }, cancellationToken);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendForResponseAsync(request, cancellationToken);
        return await ReadJsonAsync(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendForResponseAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_socketPath is not null && !File.Exists(_socketPath))
        {
            throw NoNode(null);
        }
        HttpResponseMessage response;
        try
        {
            response = await (_http ??= _connect()).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw NoNode(e);
        }
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            await ReadJsonAsync(response, cancellationToken);
            throw new StorageException($"{_where} answered {(int)response.StatusCode}");
        }
    }

    private NodeUnavailableException NoNode(HttpRequestException? e) => new(_socketPath is not null
        ? $"no litestream node is running (socket {_socketPath})"
        : $"no litestream node answers at {_where}: {e?.InnerException?.Message ?? e?.Message}");

    /// <summary>The JSON body of an answer; a refusal's <c>{error}</c> is thrown as that line.</summary>
    public async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new StorageException($"{_where} answered {(int)response.StatusCode} with something other than JSON");
        }
        if (!response.IsSuccessStatusCode)
        {
            var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var message) ? message.GetString() : null;
            throw new StorageException(error ?? $"{_where} answered {(int)response.StatusCode}");
        }
        return body;
    }
}
