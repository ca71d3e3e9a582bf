using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Logging;

/// <summary>The node's logging: the lowest level written and the sink lines go to.</summary>
public sealed record NodeLog(LogLevel Level, LogSink Sink);
