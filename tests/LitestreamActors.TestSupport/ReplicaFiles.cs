using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.TestSupport;

public static class ReplicaFiles
{
    /// <summary>The highest TXID among a file replica's L0 files (0 when none).</summary>
    public static ulong MaxL0Txid(string replicaDirectory)
    {
        var directory = Path.Combine(replicaDirectory, "ltx", "0");
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        return Directory.GetFiles(directory, "*.ltx")
            .Select(p => LtxFileName.TryParse(Path.GetFileName(p), out _, out var max) ? max : 0)
            .DefaultIfEmpty(0UL)
            .Max();
    }
}
