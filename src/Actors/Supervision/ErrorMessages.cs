namespace LitestreamActors.Actors.Supervision;

/// <summary>An exception as one line: its message, then each inner exception's that adds something, joined by ": ".</summary>
public static class ErrorMessages
{
    public static string Chain(Exception error)
    {
        var parts = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            var message = OneLine(e.Message);
            if (message.Length > 0 && !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
            {
                parts.Add(message);
            }
        }
        return string.Join(": ", parts);
    }

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
