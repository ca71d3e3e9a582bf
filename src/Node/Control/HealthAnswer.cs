using System.Text.Json.Serialization;

namespace LitestreamActors.Node.Control;

/// <summary><c>/health/live</c> and <c>/health/ready</c>: the status, and what is not ready when it is not.</summary>
public sealed record HealthAnswer(string Status)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Problems { get; init; }
}
