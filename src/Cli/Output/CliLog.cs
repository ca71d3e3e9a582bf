using System.Globalization;
using System.Text;

namespace LitestreamActors.Cli.Output;

/// <summary>Log lines in the key=value shape upstream prints: <c>time=… level=INFO msg="…" key=value</c>.</summary>
internal sealed class CliLog(TextWriter writer)
{
    public void Info(string message, params (string Key, object Value)[] fields) => Write("INFO", message, fields);

    public void Warn(string message, params (string Key, object Value)[] fields) => Write("WARN", message, fields);

    private void Write(string level, string message, (string Key, object Value)[] fields)
    {
        var line = new StringBuilder();
        line.Append("time=").Append(DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        line.Append(" level=").Append(level).Append(" msg=").Append(Quote(message));
        foreach (var (key, value) in fields)
        {
            line.Append(' ').Append(key).Append('=').Append(Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
        }
        writer.WriteLine(line.ToString());
    }

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => c > ' ' && c != '"' && c != '=') ? value : "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
