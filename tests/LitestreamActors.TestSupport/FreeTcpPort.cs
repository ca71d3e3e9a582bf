using System.Net;
using System.Net.Sockets;

namespace LitestreamActors.TestSupport;

/// <summary>
/// A loopback port free at the moment of asking, for a node's <c>addr</c>, never one handed out before in this process:
/// the kernel may pick a port again once its listener closed, and two cluster nodes given the same port both bound it
/// in a full run (their remoting listens with address reuse) and formed two clusters.
/// </summary>
public static class FreeTcpPort
{
    private static readonly HashSet<int> HandedOut = [];

    public static int Next()
    {
        lock (HandedOut)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
