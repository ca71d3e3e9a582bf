using System.Net;
using System.Net.Sockets;

namespace LitestreamActors.TestSupport;

/// <summary>A loopback port free at the moment of asking, for a node's <c>addr</c>.</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
