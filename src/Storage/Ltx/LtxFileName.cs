using System.Text.RegularExpressions;

namespace LitestreamActors.Storage.Ltx;

/// <summary>LTX file names: <c>&lt;min&gt;-&lt;max&gt;.ltx</c>, each TXID 16 lower-case hex digits.</summary>
public static partial class LtxFileName
{
    public static string Format(ulong minTxid, ulong maxTxid) => $"{Txid.Format(minTxid)}-{Txid.Format(maxTxid)}.ltx";

    public static bool TryParse(string name, out ulong minTxid, out ulong maxTxid)
    {
        minTxid = maxTxid = 0;
        var match = Pattern().Match(name);
        return match.Success
            && Txid.TryParse(match.Groups[1].Value, out minTxid)
            && Txid.TryParse(match.Groups[2].Value, out maxTxid);
    }

    [GeneratedRegex("^([0-9a-f]{16})-([0-9a-f]{16})\\.ltx$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
