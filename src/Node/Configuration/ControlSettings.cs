namespace LitestreamActors.Node.Configuration;

/// <summary>
/// Where the node answers: <see cref="Addr"/> serves metrics, health and the API over HTTP; <see cref="SocketPath"/>
/// serves the API on a unix socket; <see cref="McpAddr"/> the MCP server. Null leaves each off.
/// </summary>
public sealed record ControlSettings
{
    public string? Addr { get; init; }

    public string? SocketPath { get; init; }

    public UnixFileMode SocketPermissions { get; init; } = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The bearer token HTTP endpoints bound off loopback require (<c>api-token</c> or <c>LITESTREAM_API_TOKEN</c>).</summary>
    public string? Token { get; init; }

    public string? McpAddr { get; init; }

    /// <summary>The only folder the MCP restore tool writes under; null refuses restores over MCP.</summary>
    public string? McpRestoreDirectory { get; init; }

    /// <summary>Where the node keeps its own state (run-time registrations, stopped databases).</summary>
    public string? DataDirectory { get; init; }
}
