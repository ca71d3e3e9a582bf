using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.TestSupport;

public static class ReplicaFiles
{
    /// <summary>The highest TXID among a file replica's L0 files (0 when none).</summary>
    public static ulong MaxL0Txid(string replicaDirectory) => MaxTxid(replicaDirectory, 0);

    /// <summary>The highest TXID among a file replica's files of one level (0 when none).</summary>
    public static ulong MaxTxid(string replicaDirectory, int level) => List(replicaDirectory, level).Select(f => f.Max).DefaultIfEmpty(0UL).Max();

    /// <summary>The TXID ranges of a file replica's files of one level, read from their names.</summary>
    public static IReadOnlyList<(ulong Min, ulong Max)> List(string replicaDirectory, int level)
    {
        var directory = Path.Combine(replicaDirectory, "ltx", level.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.ltx")
                .Select(p => LtxFileName.TryParse(Path.GetFileName(p), out var min, out var max) ? (min, max) : (0UL, 0UL))
                .Where(f => f.Item2 > 0)
                .ToList()
            : [];
    }
}
