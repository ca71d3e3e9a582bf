using System.Text;

namespace LitestreamActors.Actors.Supervision;

/// <summary>
/// Actor names from user text (a replica's name): letters, digits, '-' and '_' stay; every other byte of its UTF-8
/// form becomes '~' and two hex digits. One-to-one, so two different names never give the same actor name.
/// </summary>
public static class ActorNames
{
    public static string Escape(string text)
    {
        var name = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                name.Append(c);
            }
            else
            {
                name.Append('~').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return name.ToString();
    }
}
