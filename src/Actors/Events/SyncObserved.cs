namespace LitestreamActors.Actors.Events;

/// <summary>
/// Published on the event stream after each capture cycle of a database, and by its WAL reader for each monitor tick
/// that found both files as quiet as before: how long, how many WAL bytes became LTX, the TXID after it, and the error
/// when it failed.
/// </summary>
public sealed record SyncObserved(string Path, TimeSpan Duration, long WalBytes, ulong Txid, string? Error)
{
    public bool Failed => Error is not null;
}
