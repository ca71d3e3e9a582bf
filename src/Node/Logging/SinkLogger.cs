using System.Text.RegularExpressions;
using LitestreamActors.Actors.Supervision;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Logging;

/// <summary>
/// One logger writing to the sink, a record a line. Akka hands over its events pre-formatted (<c>[INFO][time][Thread
/// n][akka://…/path] text</c>, a failure followed by <c>Cause:</c> and a stack trace): the prefix is folded into an
/// <c>actor=</c> field, the cause into <c>error=</c>, the exception's message chain, and the stack trace is kept only
/// at debug level. Akka's own shutdown chatter is debug too.
/// </summary>
public sealed partial class SinkLogger(LogSink sink, bool debug) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        var cause = message.IndexOf("\nCause:", StringComparison.Ordinal);
        if (cause >= 0)
        {
            message = message[..cause];
        }
        var fields = new List<(string, object?)>();
        var akka = AkkaPrefix().Match(message);
        if (akka.Success)
        {
            if (akka.Groups["source"].Value == "CoordinatedShutdown" && logLevel == LogLevel.Information && !debug)
            {
                return;
            }
            fields.Add(("actor", akka.Groups["path"].Success ? akka.Groups["path"].Value : akka.Groups["source"].Value));
            message = message[akka.Length..];
        }
        message = string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        if (exception is not null)
        {
            fields.Add(("error", ErrorMessages.Chain(exception)));
            if (debug)
            {
                fields.Add(("stack", exception.ToString()));
            }
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

    // [LEVEL][time][thread][akka://system/path] or [LEVEL][time][thread][Source (akka://system)]; a cluster member's
    // addresses are akka.tcp://system@host:port.
    [GeneratedRegex(@"^\[[A-Z]+\]\[[^\]]*\]\[[^\]]*\]\[(?:(?<source>[^\]\(]+) \()?akka(?:\.tcp)?://[^/\]\)]*(?<path>/[^\]\)]*)?\)?\] ?", RegexOptions.CultureInvariant)]
    private static partial Regex AkkaPrefix();
}
