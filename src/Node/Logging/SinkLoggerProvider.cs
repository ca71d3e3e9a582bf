using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Logging;

/// <summary>Routes Microsoft.Extensions.Logging (and so Akka's log events) to the process's <see cref="LogSink"/>.</summary>
public sealed class SinkLoggerProvider(LogSink sink, bool debug) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new SinkLogger(sink, debug);

    public void Dispose()
    {
    }
}
