namespace LitestreamActors.TestSupport;

/// <summary>
/// Hosts on one machine for partition tests: a network namespace per host (iproute2, as root), each with a veth pair
/// whose other end is on one bridge, on a private /24. Setting a host's bridge port down cuts it off both ways (a TCP
/// proxy would cut only connections through it, and Akka reuses the ones a node opened itself).
/// </summary>
public sealed class NetworkNamespaces : IDisposable
{
    private readonly string _prefix = "lsa" + Guid.NewGuid().ToString("N")[..5];
    private readonly int _subnet = Random.Shared.Next(100, 250);

    public NetworkNamespaces(int hosts)
    {
        Count = hosts;
        Ip("link", "add", Bridge, "type", "bridge");
        Ip("link", "set", Bridge, "up");
        for (var i = 0; i < hosts; i++)
        {
            Ip("netns", "add", Namespace(i));
            Ip("link", "add", $"{_prefix}v{i}", "type", "veth", "peer", "name", Port(i));
            Ip("link", "set", Port(i), "master", Bridge);
            Ip("link", "set", Port(i), "up");
            Ip("link", "set", $"{_prefix}v{i}", "netns", Namespace(i));
            Ip("-n", Namespace(i), "addr", "add", Address(i) + "/24", "dev", $"{_prefix}v{i}");
            Ip("-n", Namespace(i), "link", "set", $"{_prefix}v{i}", "up");
            Ip("-n", Namespace(i), "link", "set", "lo", "up");
        }
    }

    public int Count { get; }

    private string Bridge => _prefix + "br";

    public string Namespace(int host) => $"{_prefix}n{host}";

    public string Address(int host) => $"10.77.{_subnet}.{10 + host}";

    /// <summary>Every packet to and from the host is dropped until <see cref="Heal"/>.</summary>
    public void Cut(int host) => Ip("link", "set", Port(host), "down");

    public void Heal(int host) => Ip("link", "set", Port(host), "up");

    public void Dispose()
    {
        for (var i = 0; i < Count; i++)
        {
            ProcessRunner.Run("ip", ["netns", "del", Namespace(i)]);
        }
        ProcessRunner.Run("ip", ["link", "del", Bridge]);
    }

    private string Port(int host) => $"{_prefix}p{host}";

    private static void Ip(params string[] args) => ProcessRunner.Run("ip", args).EnsureSuccess("ip " + string.Join(' ', args));
}
