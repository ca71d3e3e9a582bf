namespace LitestreamActors.Storage.Replica;

/// <summary>
/// Where an LTX file lives in an object store, as upstream lays it out (docs/formats.md §3.1):
/// <c>&lt;prefix&gt;/ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c> on Azure and GCS, <c>&lt;prefix&gt;/&lt;level as %04x&gt;/…</c> on S3.
/// </summary>
public static class ObjectKeys
{
    /// <summary>An object by its path relative to the replica's prefix (<c>lock.json</c>, 0.3's <c>generations/…</c>).</summary>
    public static string Object(string prefix, string path) => (prefix.Length > 0 ? prefix + "/" : string.Empty) + path;

    /// <summary>A folder relative to the prefix, as a listing prefix ending in a slash (the prefix itself when empty).</summary>
    public static string Folder(string prefix, string path) => Object(prefix, path.Length > 0 ? path.TrimEnd('/') + "/" : string.Empty);

    public static string LevelPrefix(string prefix, int level, bool hexLevel = false) =>
        Object(prefix, string.Empty)
        + (hexLevel ? level.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : "ltx/" + level.ToString(System.Globalization.CultureInfo.InvariantCulture))
        + "/";

    public static string Key(string prefix, int level, ulong minTxid, ulong maxTxid, bool hexLevel = false) =>
        LevelPrefix(prefix, level, hexLevel) + Ltx.LtxFileName.Format(minTxid, maxTxid);
}
