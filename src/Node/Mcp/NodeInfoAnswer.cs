using LitestreamActors.Node.Control;

namespace LitestreamActors.Node.Mcp;

/// <summary><c>litestream_info</c>'s result: the node and each database with its replicas.</summary>
public sealed record NodeInfoAnswer(string Version, int Pid, IEnumerable<DatabaseView> Databases);
