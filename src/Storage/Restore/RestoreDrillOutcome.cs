namespace LitestreamActors.Storage.Restore;

/// <summary>One restore drill: the TXID tried, its time when restored, how long it took, and the problem if it failed.</summary>
public sealed record RestoreDrillOutcome(ulong Txid, DateTimeOffset? TxidTime, TimeSpan Duration, string? Problem)
{
    public bool Passed => Problem is null;
}
