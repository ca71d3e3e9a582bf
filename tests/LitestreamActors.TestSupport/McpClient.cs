using System.Text.Json;

namespace LitestreamActors.TestSupport;

/// <summary>The real MCP client (npm <c>@modelcontextprotocol/sdk</c>, tests/mcp-client): lists the tools and calls each given one.</summary>
public static class McpClient
{
    public static JsonElement Call(int port, string path, params (string Name, object Arguments)[] calls)
    {
        var script = Path.Combine(RepositoryPaths.Tools, "call-tools.mjs");
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "mcp-client", "call-tools.mjs"), script, overwrite: true);
        var json = JsonSerializer.Serialize(calls.Select(c => new { name = c.Name, arguments = c.Arguments }));
        var run = ProcessRunner.Run("node", [script, $"http://127.0.0.1:{port}{path}", json]).EnsureSuccess("the MCP client");
        return JsonDocument.Parse(run.StandardOutput).RootElement;
    }
}
