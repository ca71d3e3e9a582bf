namespace LitestreamActors.Node.Control;

/// <summary><c>/info</c>: the node's version, process and how long it has run.</summary>
public sealed record InfoAnswer(string Version, int Pid, long UptimeSeconds, DateTimeOffset StartedAt, int DatabaseCount);
