using System.Globalization;

namespace LitestreamActors.Cli.Output;

internal static class TimeFormat
{
    /// <summary>Go's time.RFC3339 in UTC: whole seconds.</summary>
    public static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Go's time.RFC3339Nano in UTC: fractional seconds with trailing zeros trimmed.</summary>
    public static string Rfc3339Nano(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);

    /// <summary>Parses an RFC 3339 timestamp such as 2026-01-02T15:04:05Z or with an offset and fraction.</summary>
    /// <summary>RFC 3339 requires the offset (Z or ±hh:mm): a time without one is refused, as upstream refuses it.</summary>
    public static bool TryParseRfc3339(string text, out DateTimeOffset time)
    {
        time = default;
        var zoned = text.EndsWith('Z') || text.EndsWith('z')
            || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        return zoned && DateTimeOffset.TryParseExact(
            text,
            ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out time);
    }
}
