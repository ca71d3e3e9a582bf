using System.Text.Json.Serialization;

namespace LitestreamActors.Node.Logging;

/// <summary>A JSON log line's serializer, generated at build time (docs/performance.md, "A native build").</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class LogLineJson : JsonSerializerContext;
