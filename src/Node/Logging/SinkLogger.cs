using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Logging;

/// <summary>
/// One logger writing to the sink. Akka hands over its events pre-formatted (<c>[INFO][time][Thread n][akka://…/path]
/// text</c>): the prefix is folded into an <c>actor=</c> field.
/// </summary>
public sealed partial class SinkLogger(LogSink sink) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        var fields = new List<(string, object?)>();
        var akka = AkkaPrefix().Match(message);
        if (akka.Success)
        {
            fields.Add(("actor", akka.Groups[1].Value));
            message = message[akka.Length..];
        }
        if (exception is not null)
        {
            fields.Add(("error", exception.Message));
        }
        sink.Write(Level(logLevel), message, fields);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        _ => "ERROR",
    };

    [GeneratedRegex(@"^\[[A-Z]+\]\[[^\]]*\]\[[^\]]*\]\[akka://[^/\]]*(/[^\]]*)\] ?", RegexOptions.CultureInvariant)]
    private static partial Regex AkkaPrefix();
}
