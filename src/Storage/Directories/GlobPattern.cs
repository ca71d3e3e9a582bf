using System.Text;
using System.Text.RegularExpressions;

namespace LitestreamActors.Storage.Directories;

/// <summary>
/// A file-name pattern as upstream's <c>pattern:</c> reads it (Go's <c>filepath.Match</c>): <c>*</c> any run of
/// characters, <c>?</c> one, <c>[a-z]</c>/<c>[^…]</c> a class, <c>\</c> escapes; matched against a base name.
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;

    private GlobPattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    public string Text { get; }

    public bool Matches(string fileName) => _regex.IsMatch(fileName);

    /// <summary>The pattern, or a <see cref="FormatException"/> saying what is wrong with it.</summary>
    public static GlobPattern Parse(string text)
    {
        if (text.Length == 0)
        {
            throw new FormatException("the pattern is empty");
        }
        if (text.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException($"the pattern \"{text}\" holds a /: it matches file names, not paths");
        }
        var regex = new StringBuilder("^");
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '*':
                    regex.Append(".*");
                    break;
                case '?':
                    regex.Append('.');
                    break;
                case '\\':
                    if (++i == text.Length)
                    {
                        throw new FormatException($"the pattern \"{text}\" ends with a lone \\");
                    }
                    regex.Append(Regex.Escape(text[i].ToString()));
                    break;
                case '[':
                    i = AppendClass(text, i, regex);
                    break;
                default:
                    regex.Append(Regex.Escape(text[i].ToString()));
                    break;
            }
        }
        return new GlobPattern(text, new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline));
    }

    // Copies [..] as a regex class; returns the index of its closing bracket. An unescaped - between two characters is a range.
    private static int AppendClass(string text, int open, StringBuilder regex)
    {
        var i = open + 1;
        regex.Append('[');
        if (i < text.Length && text[i] == '^')
        {
            regex.Append('^');
            i++;
        }
        var first = i;
        for (; i < text.Length && (text[i] != ']' || i == first); i++)
        {
            if (text[i] == '-' && i > first && i + 1 < text.Length && text[i + 1] != ']')
            {
                regex.Append('-');
                continue;
            }
            if (text[i] == '\\' && ++i == text.Length)
            {
                break;
            }
            regex.Append(ClassLiteral(text[i]));
        }
        if (i >= text.Length)
        {
            throw new FormatException($"the pattern \"{text}\" has a [ without its ]");
        }
        regex.Append(']');
        return i;
    }

    private static string ClassLiteral(char c) => char.IsAsciiLetterOrDigit(c) || c > 127 ? c.ToString() : "\\" + c;
}
