using System.Text.RegularExpressions;

namespace LitestreamActors.Storage.Replica;

/// <summary>Replica URLs (<c>scheme://host/path</c>) as upstream recognises them.</summary>
public static partial class ReplicaUrl
{
    /// <summary>True for anything of the form <c>word://…</c>; a database path is anything else.</summary>
    public static bool IsUrl(string text) => Scheme().IsMatch(text);

    /// <summary>The scheme of a replica URL in lower case (<c>s3</c>, <c>file</c>…), or null when the text is not a URL.</summary>
    public static string? SchemeOf(string? text) =>
        text is not null && IsUrl(text) ? text[..text.IndexOf(':', StringComparison.Ordinal)].ToLowerInvariant() : null;

    /// <summary>The URL with user info removed, safe to print.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? url.Replace(uri.UserInfo + "@", string.Empty, StringComparison.Ordinal)
            : url;

    /// <summary>A URL's query as options (<c>?endpoint=…&amp;forcePathStyle</c>; a bare key means "true").</summary>
    public static IReadOnlyDictionary<string, string> QueryOptions(Uri? url) =>
        (url?.Query ?? string.Empty).TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "true", StringComparer.Ordinal);

    [GeneratedRegex("^\\w+://", RegexOptions.CultureInvariant)]
    private static partial Regex Scheme();
}
