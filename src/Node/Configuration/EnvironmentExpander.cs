using System.Text;

namespace LitestreamActors.Node.Configuration;

/// <summary>
/// Expands <c>$VAR</c> and <c>${VAR}</c> over the whole config text exactly as Go's os.Expand does for upstream, so
/// a config behaves the same under both tools: an unset variable becomes empty, <c>$PID</c> is this process's id,
/// a lone <c>$</c> stays, and malformed <c>${</c> is dropped.
/// </summary>
public static class EnvironmentExpander
{
    private const string SpecialNames = "*#$@!?-0123456789";

    public static string Expand(string text, Func<string, string?> lookup)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                result.Append(text[i]);
                i++;
                continue;
            }
            var (name, width) = ShellName(text.AsSpan(i + 1));
            if (name.Length > 0)
            {
                result.Append(name == "PID" ? Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) : lookup(name) ?? string.Empty);
            }
            else if (width == 0)
            {
                result.Append('$');
            }
            i += 1 + width;
        }
        return result.ToString();
    }

    public static string ExpandFromProcess(string text) => Expand(text, Environment.GetEnvironmentVariable);

    private static (string Name, int Width) ShellName(ReadOnlySpan<char> s)
    {
        if (s[0] == '{')
        {
            if (s.Length > 2 && SpecialNames.Contains(s[1]) && s[2] == '}')
            {
                return (s[1].ToString(), 3);
            }
            var close = s.IndexOf('}');
            return close switch
            {
                < 0 => (string.Empty, 1),
                1 => (string.Empty, 2),
                _ => (s[1..close].ToString(), close + 1),
            };
        }
        if (SpecialNames.Contains(s[0]))
        {
            return (s[0].ToString(), 1);
        }
        var width = 0;
        while (width < s.Length && (char.IsAsciiLetterOrDigit(s[width]) || s[width] == '_'))
        {
            width++;
        }
        return (s[..width].ToString(), width);
    }
}
