using System.Globalization;
using System.Net;
using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Control;

/// <summary>
/// An <c>addr</c> value (<c>:9090</c>, <c>127.0.0.1:9090</c>, <c>0.0.0.0:9090</c>, <c>[::1]:9090</c>, <c>localhost:9090</c>).
/// Without a host it binds to 127.0.0.1, not to every interface as upstream does: exposure must be asked for.
/// </summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    public bool IsLoopback => IPAddress.IsLoopback(Address);

    public IPEndPoint EndPoint => new(Address, Port);

    public static ListenAddress Parse(string text, string key)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ConfigException($"invalid {key} \"{text}\": expected HOST:PORT or :PORT");
        }
        var host = text[..colon].Trim('[', ']');
        var address = host switch
        {
            "" or "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(host, out var parsed) => parsed,
            _ => throw new ConfigException($"invalid {key} \"{text}\": the host must be an IP address or localhost"),
        };
        return new ListenAddress(address, port);
    }

    public override string ToString() => EndPoint.ToString();
}
