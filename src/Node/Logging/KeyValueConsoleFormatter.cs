using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace LitestreamActors.Node.Logging;

/// <summary>
/// Console lines in upstream's key=value shape. Akka hands over its events pre-formatted
/// (<c>[INFO][time][Thread n][akka://…/path] text</c>): the prefix is folded into an <c>actor=</c> field.
/// </summary>
public sealed partial class KeyValueConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "litestream";

    public override void Write<TState>(in LogEntry<TState> logEntry, Microsoft.Extensions.Logging.IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var fields = new List<(string, object?)>();
        var akka = AkkaPrefix().Match(message);
        if (akka.Success)
        {
            fields.Add(("actor", akka.Groups[1].Value));
            message = message[akka.Length..];
        }
        if (logEntry.Exception is { } exception)
        {
            fields.Add(("error", exception.Message));
        }
        textWriter.WriteLine(LogLine.Format(DateTimeOffset.UtcNow, Level(logEntry.LogLevel), message, fields));
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
