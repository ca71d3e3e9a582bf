namespace LitestreamActors.Node.Configuration;

/// <summary>
/// What is wrong with a config that is not well-formed YAML, in our words and on the line where it is: a tab in the
/// indentation (found before parsing, as the parser reports it a line early), then the parser's complaints mapped to
/// what the user has to fix.
/// </summary>
public static class YamlProblems
{
    /// <summary>The first line (1-based) whose indentation holds a tab, with what to do; null when none does.</summary>
    public static (int Line, string Problem)? TabIndentation(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indentation = lines[i][..(lines[i].Length - lines[i].TrimStart(' ', '\t').Length)];
            if (indentation.Contains('\t'))
            {
                return (i + 1, "a tab in the indentation: YAML indents with spaces only");
            }
        }
        return null;
    }

    /// <summary>The parser's complaint in our words.</summary>
    public static string Explain(string parserMessage)
    {
        var message = parserMessage.Split('\n')[0].Trim();
        if (Has(message, "found invalid mapping") || Has(message, "mapping values are not allowed"))
        {
            return "a key where none can be: line its indentation up with the keys above it (or quote a value that contains \": \")";
        }
        if (Has(message, "did not find expected '-' indicator"))
        {
            return "this line does not fit the list above it: list items start with \"- \" in one column, and an item's keys line up under its first";
        }
        if (Has(message, "did not find expected key"))
        {
            return "this line is indented less than the keys of the mapping it is in, or more than a new key may be";
        }
        if (Has(message, "Duplicate key"))
        {
            return "a key that appears twice in the same mapping";
        }
        if (Has(message, "unexpected end of stream") || Has(message, "found unexpected end"))
        {
            return "the file ends inside a quoted value or a bracket: close it";
        }
        if (Has(message, "did not find expected ',' or ']'") || Has(message, "did not find expected ',' or '}'"))
        {
            return "a list in brackets or a mapping in braces is not closed, or lacks a comma";
        }
        return $"not well-formed YAML ({message.TrimEnd('.')})";
    }

    private static bool Has(string message, string text) => message.Contains(text, StringComparison.OrdinalIgnoreCase);
}
