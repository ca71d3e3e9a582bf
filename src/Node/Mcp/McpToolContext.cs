using LitestreamActors.Actors.Settings;
using LitestreamActors.Node.Control;

namespace LitestreamActors.Node.Mcp;

/// <summary>What the MCP tools work with: the node's API, its settings (replica credentials stay in the node) and version.</summary>
public sealed record McpToolContext(ControlApi Api, Configuration.NodeSettings Settings, string Version);
