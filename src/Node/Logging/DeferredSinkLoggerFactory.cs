using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Logging;

/// <summary>
/// The local node's loggers, whose sink and level are known only later: its actor system starts while the config that
/// names them is still being read (docs/performance.md, "Start-up"). Lines logged before <see cref="Bind"/> are held and
/// written, filtered by the level, once it is called. Filters as <see cref="NodeLogging"/> does, without building
/// Microsoft.Extensions.Logging's factory, whose start was a fifth of the actor system's.
/// </summary>
public sealed class DeferredSinkLoggerFactory : ILoggerFactory
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, Action<ILogger> Write)> _held = [];
    private LogLevel _level;
    private volatile SinkLogger? _logger;

    public ILogger CreateLogger(string categoryName) =>
        new DeferredSinkLogger(
            this, categoryName.StartsWith(NodeLogging.FrameworkCategory, StringComparison.Ordinal) ? NodeLogging.FrameworkMinimum : LogLevel.Trace);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the node's loggers write to its log sink only");

    /// <summary>Names the sink and level, writing what was held.</summary>
    public void Bind(NodeLog log)
    {
        lock (_lock)
        {
            _level = log.Level;
            var logger = new SinkLogger(log.Sink, log.Level <= LogLevel.Debug);
            foreach (var (level, write) in _held)
            {
                WriteIfEnabled(logger, level, write);
            }
            _held.Clear();
            _logger = logger;
        }
    }

    public void Dispose()
    {
    }

    internal void Write(LogLevel level, Action<ILogger> write)
    {
        var logger = _logger;
        if (logger is null)
        {
            lock (_lock)
            {
                if (_logger is null)
                {
                    _held.Add((level, write));
                    return;
                }
                logger = _logger;
            }
        }
        WriteIfEnabled(logger, level, write);
    }

    private void WriteIfEnabled(SinkLogger logger, LogLevel level, Action<ILogger> write)
    {
        if (level >= _level)
        {
            write(logger);
        }
    }
}
