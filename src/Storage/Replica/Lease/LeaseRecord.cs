using System.Text.Json;
using System.Text.Json.Serialization;

namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>The content of a replica's <c>lock.json</c>: who may write to it, and until when unless renewed.</summary>
public sealed record LeaseRecord(
    [property: JsonPropertyName("owner")] string Owner,
    [property: JsonPropertyName("expires_at")] DateTimeOffset ExpiresAt)
{
    public const string FileName = "lock.json";

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this);

    public static LeaseRecord? FromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<LeaseRecord>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
