using System.Text.Json;
using System.Text.Json.Serialization;

namespace LitestreamActors.Actors.Cluster;

/// <summary>The catalog's entries as JSON, serialized by code generated at build time (docs/performance.md, "A native build").</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CatalogActor.NodeRow))]
[JsonSerializable(typeof(CatalogRow))]
public sealed partial class CatalogJson : JsonSerializerContext;
