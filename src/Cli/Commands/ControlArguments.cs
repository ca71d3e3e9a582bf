using LitestreamActors.Cli.Flags;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Control;

namespace LitestreamActors.Cli.Commands;

/// <summary>
/// How a command finds a running node: <c>-addr</c> (HTTP, with <c>LITESTREAM_API_TOKEN</c>), <c>-socket</c>, or the
/// control socket of the node run with the same config file.
/// </summary>
internal sealed class ControlArguments
{
    public const string Help = """
            -addr HOST:PORT
                Talks to the node's HTTP address instead of its control socket.
                The bearer token comes from $LITESTREAM_API_TOKEN.

            -socket PATH
                Talks to the node listening on this control socket.
        """;

    private readonly Func<string?> _addr;
    private readonly Func<string?> _socket;

    public ControlArguments(FlagSet flags)
    {
        Config = new ConfigArguments(flags);
        _addr = flags.OptionalString("addr");
        _socket = flags.OptionalString("socket");
    }

    public ConfigArguments Config { get; }

    public bool Explicit => _addr() is not null || _socket() is not null;

    /// <summary>A client for the node; with neither flag, the socket named by the config (or its default), if any.</summary>
    public ControlClient? Connect(NodeSettings? settings)
    {
        if (_addr() is { } addr)
        {
            try
            {
                return ControlClient.ForAddress(addr, Environment.GetEnvironmentVariable("LITESTREAM_API_TOKEN") is { Length: > 0 } token ? token : null);
            }
            catch (ConfigException e)
            {
                throw new UsageException(e.Message);
            }
        }
        var socket = _socket() is { } flag ? PathExpander.Absolute(flag) : settings?.Control?.SocketPath;
        return socket is null ? null : ControlClient.ForSocket(socket);
    }

    /// <summary>
    /// Every database's status from the node, or null when no node answers and none was named with a flag (no node
    /// running is the ordinary case: the caller shows what it knows without one).
    /// </summary>
    public async Task<System.Text.Json.JsonElement?> LiveStatusAsync(ControlClient? client, CancellationToken cancellationToken)
    {
        if (client is null)
        {
            return null;
        }
        try
        {
            return (await client.GetAsync("status", cancellationToken)).GetProperty("databases");
        }
        catch (NodeUnavailableException) when (!Explicit)
        {
            return null;
        }
    }

    /// <summary>Upstream's control socket, used when no config file names one.</summary>
    public const string UpstreamSocketPath = "/var/run/litestream.sock";

    /// <summary>
    /// A client for a command that needs the node: the config is read only when no flag names the node; with no
    /// config file at all (none given and none at the default path), upstream's default socket.
    /// </summary>
    public ControlClient ConnectRequired()
    {
        if (!Explicit && string.IsNullOrEmpty(Config.Path) && !File.Exists(ConfigFile.Resolve(null)))
        {
            return ControlClient.ForSocket(UpstreamSocketPath);
        }
        var settings = Explicit ? null : ConfigLoader.LoadFile(ConfigFile.Resolve(Config.Path), Config.ExpandEnvironment);
        return Connect(settings) ?? throw new Storage.StorageException("the config turns the control socket off: pass -socket or -addr");
    }
}
