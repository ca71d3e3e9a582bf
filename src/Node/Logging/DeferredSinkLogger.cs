using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Logging;

/// <summary>One logger of a <see cref="DeferredSinkLoggerFactory"/>: formats now, writes once the sink is named.</summary>
internal sealed class DeferredSinkLogger(DeferredSinkLoggerFactory factory, LogLevel minimum) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        var message = formatter(state, exception);
        factory.Write(logLevel, logger => logger.Log(logLevel, eventId, message, exception, (text, _) => text));
    }
}
