using System.Text;
using LitestreamActors.Cli.Flags;

namespace LitestreamActors.Cli;

/// <summary>Splits an <c>exec</c> command line into words as a POSIX shell would quote them, without running a shell.</summary>
internal static class CommandLineWords
{
    public static IReadOnlyList<string> Split(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else if (c == '\\' && q == '"' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\' or '$' or '`')
                {
                    word.Append(commandLine[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < commandLine.Length)
            {
                word.Append(commandLine[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (quote is not null)
        {
            throw new UsageException($"unterminated quote in exec command: {commandLine}");
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words.Count > 0 ? words : throw new UsageException("the exec command is empty");
    }
}
