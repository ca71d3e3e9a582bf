using LitestreamActors.Node.Logging;

namespace LitestreamActors.Cli.Output;

/// <summary>Log lines of the CLI itself, into the same sink (and shape) as the node's once <c>replicate</c> set one up.</summary>
internal sealed class CliLog(LogSink sink)
{
    private LogSink _sink = sink;
    private bool _infoEnabled = true;

    /// <summary>From here on, lines go where the config's <c>logging:</c> says, at its level.</summary>
    public void Redirect(LogSink sink, Microsoft.Extensions.Logging.LogLevel level)
    {
        _sink = sink;
        _infoEnabled = level <= Microsoft.Extensions.Logging.LogLevel.Information;
    }

    public void Info(string message, params (string Key, object Value)[] fields)
    {
        if (_infoEnabled)
        {
            _sink.Write("INFO", message, fields.Select(f => (f.Key, (object?)f.Value)));
        }
    }

    public void Warn(string message, params (string Key, object Value)[] fields) =>
        _sink.Write("WARN", message, fields.Select(f => (f.Key, (object?)f.Value)));

    public void Error(string message, params (string Key, object Value)[] fields) =>
        _sink.Write("ERROR", message, fields.Select(f => (f.Key, (object?)f.Value)));
}
