using System.Text.Json.Serialization;

namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// <c>lock.json</c>'s serializer, generated at build time: a native build has no reflection-based serializer for a
/// record with a constructor (docs/performance.md, "A native build").
/// </summary>
[JsonSerializable(typeof(LeaseRecord))]
internal sealed partial class LeaseRecordJson : JsonSerializerContext;
