using System.Globalization;

namespace LitestreamActors.Storage.Ltx;

/// <summary>TXIDs as text: always 16 lower-case hex digits.</summary>
public static class Txid
{
    public static string Format(ulong txid) => txid.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>Parses exactly 16 hex digits, as upstream's -txid flag requires.</summary>
    public static bool TryParse(string text, out ulong txid)
    {
        txid = 0;
        return text.Length == 16 && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out txid);
    }
}
