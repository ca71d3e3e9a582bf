using LitestreamActors.Cli.Flags;

namespace LitestreamActors.Cli.Commands;

/// <summary>The node commands' <c>-timeout SECONDS</c>: a number above zero.</summary>
internal static class TimeoutFlag
{
    public static double Seconds(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new UsageException($"invalid -timeout \"{text}\": expected seconds above zero");
}
