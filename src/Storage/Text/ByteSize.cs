using System.Globalization;
using System.Text.RegularExpressions;

namespace LitestreamActors.Storage.Text;

/// <summary>Sizes as upstream's config reads them: a number of bytes, or <c>5MB</c> (base 1000) or <c>5MiB</c> (base 1024).</summary>
public static partial class ByteSize
{
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var match = Pattern().Match(text.Trim());
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }
        var unit = match.Groups[2].Value.ToUpperInvariant();
        var power = unit.Length == 0 ? 0 : "BKMGT".IndexOf(unit[0], StringComparison.Ordinal);
        var scale = Math.Pow(unit.Contains('I', StringComparison.Ordinal) ? 1024 : 1000, power);
        bytes = (long)(number * scale);
        return true;
    }

    [GeneratedRegex("^([0-9]+(?:\\.[0-9]+)?)\\s*(B|[KMGT]i?B?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
