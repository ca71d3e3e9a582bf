using System.Text.RegularExpressions;

namespace LitestreamActors.Storage.Replica;

/// <summary>Replica URLs (<c>scheme://host/path</c>) as upstream recognises them.</summary>
public static partial class ReplicaUrl
{
    /// <summary>True for anything of the form <c>word://…</c>; a database path is anything else.</summary>
    public static bool IsUrl(string text) => Scheme().IsMatch(text);

    /// <summary>The URL with user info removed, safe to print.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Replace(uri.UserInfo + "@", string.Empty, StringComparison.Ordinal)
            : url;

    [GeneratedRegex("^\\w+://", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();
}
