using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace LitestreamActors.Node.Logging;

/// <summary>The node's log setup, shared by the actor host and the HTTP hosts: key=value lines on stderr.</summary>
public static class NodeLogging
{
    public static ILoggingBuilder Configure(ILoggingBuilder logging, LogLevel level) => logging
        .ClearProviders()
        .SetMinimumLevel(level)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddConsole(options =>
        {
            options.FormatterName = KeyValueConsoleFormatter.Name;
            options.LogToStandardErrorThreshold = LogLevel.Trace;
        })
        .AddConsoleFormatter<KeyValueConsoleFormatter, ConsoleFormatterOptions>();
}
