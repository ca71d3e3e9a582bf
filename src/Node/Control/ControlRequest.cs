namespace LitestreamActors.Node.Control;

/// <summary>The body of a POST to the control API (upstream's fields); <see cref="Timeout"/> is in seconds.</summary>
public sealed record ControlRequest(string? Path, string? ReplicaUrl, bool? Wait, double? Timeout);
