using System.Net.Security;
using System.Net.Sockets;

namespace LitestreamActors.Storage.IO;

/// <summary>
/// HTTP for the backends that bring no stall detection of their own (docs/reliability.md): every connection is an
/// <see cref="IdleTimeoutStream"/>, and requests have no overall deadline, so a large file on a slow link finishes.
/// </summary>
public static class StallGuardedHttp
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    public static HttpClient Client(bool acceptAnyCertificate = false) =>
        new(Handler(acceptAnyCertificate)) { Timeout = Timeout.InfiniteTimeSpan };

    public static SocketsHttpHandler Handler(bool acceptAnyCertificate = false)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = IdleTimeout,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new IdleTimeoutStream(socket, IdleTimeout);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        if (acceptAnyCertificate)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
        }
        return handler;
    }
}
