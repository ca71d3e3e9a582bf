using System.Text.Json;
using System.Text.Json.Serialization;
using LitestreamActors.Actors.Inspection;
using LitestreamActors.Node.Mcp;

namespace LitestreamActors.Node.Control;

/// <summary>
/// Every type the control API, the health endpoints and the MCP tools read or write, serialized by code generated at
/// build time (docs/performance.md, "A native build"): no reflection at run time, and a type missing here fails the
/// same way in every build.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(object))]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ClusterRequest))]
[JsonSerializable(typeof(ClusterRestoreRequest))]
[JsonSerializable(typeof(ErrorAnswer))]
[JsonSerializable(typeof(StatusAnswer))]
[JsonSerializable(typeof(DatabaseView))]
[JsonSerializable(typeof(IEnumerable<DatabaseView>))]
[JsonSerializable(typeof(ListAnswer))]
[JsonSerializable(typeof(InfoAnswer))]
[JsonSerializable(typeof(TxidAnswer))]
[JsonSerializable(typeof(SyncAnswer))]
[JsonSerializable(typeof(OutcomeAnswer))]
[JsonSerializable(typeof(HealthAnswer))]
[JsonSerializable(typeof(CatalogAnswer))]
[JsonSerializable(typeof(IEnumerable<CatalogRowView>))]
[JsonSerializable(typeof(ClusterMembersView))]
[JsonSerializable(typeof(MemberActionAnswer))]
[JsonSerializable(typeof(ClusterRestorePlanView))]
[JsonSerializable(typeof(ActorNode))]
[JsonSerializable(typeof(VersionAnswer))]
[JsonSerializable(typeof(NodeInfoAnswer))]
[JsonSerializable(typeof(List<LtxFileView>))]
[JsonSerializable(typeof(VerifyAnswer))]
[JsonSerializable(typeof(RestoreAnswer))]
[JsonSerializable(typeof(ClusterRestoreAnswer))]
public sealed partial class ControlJson : JsonSerializerContext;
