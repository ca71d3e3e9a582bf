namespace LitestreamActors.Storage.Replica;

/// <summary>
/// Where an LTX file lives in an object store, as upstream lays it out (docs/formats.md §3.1):
/// <c>&lt;prefix&gt;/ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c> on Azure and GCS, <c>&lt;prefix&gt;/&lt;level as %04x&gt;/…</c> on S3.
/// </summary>
public static class ObjectKeys
{
    public static string LevelPrefix(string prefix, int level, bool hexLevel = false) =>
        (prefix.Length > 0 ? prefix + "/" : string.Empty)
        + (hexLevel ? level.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : "ltx/" + level.ToString(System.Globalization.CultureInfo.InvariantCulture))
        + "/";

    public static string Key(string prefix, int level, ulong minTxid, ulong maxTxid, bool hexLevel = false) =>
        LevelPrefix(prefix, level, hexLevel) + Ltx.LtxFileName.Format(minTxid, maxTxid);
}
