using System.Globalization;

namespace LitestreamActors.Storage.Replica;

/// <summary>The RFC 3339 (nanosecond) text upstream stores as an LTX file's timestamp in object metadata and headers.</summary>
public static class ReplicaTimestamp
{
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
}
