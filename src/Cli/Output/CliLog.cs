using LitestreamActors.Node.Logging;

namespace LitestreamActors.Cli.Output;

/// <summary>Log lines of the CLI itself, in the same key=value shape as the node's.</summary>
internal sealed class CliLog(TextWriter writer)
{
    public void Info(string message, params (string Key, object Value)[] fields) =>
        writer.WriteLine(LogLine.Format(DateTimeOffset.UtcNow, "INFO", message, fields.Select(f => (f.Key, (object?)f.Value))));

    public void Warn(string message, params (string Key, object Value)[] fields) =>
        writer.WriteLine(LogLine.Format(DateTimeOffset.UtcNow, "WARN", message, fields.Select(f => (f.Key, (object?)f.Value))));
}
