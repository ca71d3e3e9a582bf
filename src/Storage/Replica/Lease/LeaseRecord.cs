using System.Text.Json;
using System.Text.Json.Serialization;

namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// The content of a replica's <c>lock.json</c>: who may write to it, and until when unless renewed. The generation grows
/// by one on every acquisition and is never reset (release expires the record, it does not delete it), so a file
/// stamped with it says which holder wrote it; the node is the holder's cluster address, when it has one.
/// </summary>
public sealed record LeaseRecord(
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt)
{
    public const string FileName = "lock.json";

    [JsonPropertyName("generation")]
    public long Generation { get; init; }

    [JsonPropertyName("node")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Node { get; init; }

    /// <summary>
    /// The one database (node and path) allowed to write the replica since a standby was promoted to it; null when
    /// none was (docs/cluster.md, "Warm standbys"). Every other database that finds it is demoted.
    /// </summary>
    [JsonPropertyName("promoted_to")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PromotedTo { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, LeaseRecordJson.Default.LeaseRecord);

    public static LeaseRecord? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, LeaseRecordJson.Default.LeaseRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
