using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Logging;

/// <summary>The node's log setup, shared by the actor host and the HTTP hosts: one line per event into the sink.</summary>
public static class NodeLogging
{
    /// <summary>The framework's categories (hosting, Kestrel) write warnings and above only.</summary>
    public const string FrameworkCategory = "Microsoft";

    public const LogLevel FrameworkMinimum = LogLevel.Warning;

    public static ILoggingBuilder Configure(ILoggingBuilder logging, NodeLog log) => logging
        .ClearProviders()
        .SetMinimumLevel(log.Level)
        .AddFilter(FrameworkCategory, FrameworkMinimum)
        .AddProvider(new SinkLoggerProvider(log.Sink, log.Level <= LogLevel.Debug));
}
