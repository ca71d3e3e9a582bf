namespace LitestreamActors.Storage.Wal;

/// <summary>Decides whether capture can resume from a previous position, following upstream's rules (formats.md §3.6).</summary>
public static class WalContinuityCheck
{
    public static WalContinuity Check(Stream wal, WalPosition previous)
    {
        var reader = WalReader.Open(wal);
        if (reader is null)
        {
            // An empty or truncated WAL after a checkpoint that had reached the end of what we captured is expected.
            return WalContinuity.Restarted;
        }
        if (reader.Header.SameSalts(previous.Salt1, previous.Salt2))
        {
            return WalReader.OpenAt(wal, previous.Offset) is null ? WalContinuity.Broken : WalContinuity.Continuous;
        }
        return reader.SaltsAfterCurrentGeneration() switch
        {
            null => WalContinuity.Restarted,
            var (salt1, salt2) when (salt1, salt2) == (previous.Salt1, previous.Salt2) || (salt1, salt2) == (0u, 0u) => WalContinuity.Restarted,
            _ => WalContinuity.Broken,
        };
    }
}
