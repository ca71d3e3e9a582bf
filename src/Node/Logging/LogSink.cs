using LitestreamActors.Node.Configuration;
using LitestreamActors.Actors.Settings;

namespace LitestreamActors.Node.Logging;

/// <summary>
/// Where every log line of a process goes, text (key=value, upstream's shape) or JSON: the console stream and, when
/// configured, a file appended to. One lock keeps lines whole.
/// </summary>
public sealed class LogSink : IDisposable
{
    private readonly TextWriter _console;
    private readonly bool _json;
    private readonly StreamWriter? _file;
    private readonly Lock _lock = new();

    public LogSink(TextWriter console, bool json = false, string? file = null)
    {
        _console = console;
        _json = json;
        if (file is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            _file = new StreamWriter(new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
    }

    /// <summary>The sink a <c>logging:</c> section asks for, given the process's stdout and stderr.</summary>
    public static LogSink For(LoggingSettings settings, TextWriter stdout, TextWriter stderr) =>
        new(settings.Stderr ? stderr : stdout, settings.Json, settings.File);

    public void Write(string level, string message, IEnumerable<(string Key, object? Value)> fields)
    {
        var now = DateTimeOffset.UtcNow;
        var line = _json ? LogLine.FormatJson(now, level, message, fields) : LogLine.Format(now, level, message, fields);
        lock (_lock)
        {
            _console.WriteLine(line);
            _file?.WriteLine(line);
        }
    }

    public void Dispose() => _file?.Dispose();
}
