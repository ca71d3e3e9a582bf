namespace LitestreamActors.Storage.Wal;

/// <summary>Decides whether capture can resume from a previous position, following upstream's rules (formats.md §3.6).</summary>
public static class WalContinuityCheck
{
    /// <remarks>
    /// SQLite adds one to salt-1 each time it restarts the WAL (a new WAL file gets random salts), so a salt-1 exactly
    /// one above the captured generation's proves a single restart: nothing in between can have been missed, provided
    /// everything of the old generation was captured before it (the caller knows: its own checkpoint did that).
    /// </remarks>
    public static WalContinuity Check(Stream wal, WalPosition previous)
    {
        var reader = WalReader.Open(wal);
        if (reader is null)
        {
            return WalContinuity.Broken;
        }
        if (reader.Header.SameSalts(previous.Salt1, previous.Salt2))
        {
            return WalReader.OpenAt(wal, previous.Offset) is null ? WalContinuity.Broken : WalContinuity.Continuous;
        }
        return reader.Header.Salt1 == unchecked(previous.Salt1 + 1) ? WalContinuity.Restarted : WalContinuity.Broken;
    }
}
