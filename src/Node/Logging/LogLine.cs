using System.Globalization;
using System.Text;

namespace LitestreamActors.Node.Logging;

/// <summary>One log line in the key=value shape upstream prints: <c>time=… level=INFO msg="…" key=value</c>.</summary>
public static class LogLine
{
    public static string Format(DateTimeOffset time, string level, string message, IEnumerable<(string Key, object? Value)> fields)
    {
        var line = new StringBuilder();
        line.Append("time=").Append(time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        line.Append(" level=").Append(level).Append(" msg=").Append(Quote(message));
        foreach (var (key, value) in fields)
        {
            line.Append(' ').Append(key).Append('=').Append(Quote(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty));
        }
        return line.ToString();
    }

    /// <summary>The same line as one JSON object: <c>{"time","level","msg", fields…}</c>.</summary>
    public static string FormatJson(DateTimeOffset time, string level, string message, IEnumerable<(string Key, object? Value)> fields)
    {
        var line = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["level"] = level,
            ["msg"] = message,
        };
        foreach (var (key, value) in fields)
        {
            line[key] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }
        return System.Text.Json.JsonSerializer.Serialize(line, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Dictionary<string, string>>)JsonOptions.GetTypeInfo(typeof(Dictionary<string, string>)));
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = LogLineJson.Default,
    };

    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => c > ' ' && c != '"' && c != '=') ? value : "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
