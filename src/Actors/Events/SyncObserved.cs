namespace LitestreamActors.Actors.Events;

/// <summary>
/// Published on the event stream after each capture cycle of a database, and for each monitor tick that found both
/// files as quiet as before (by its WAL reader or the node's monitor clock): how long, how many WAL bytes became LTX,
/// the TXID after it, and the error when it failed.
/// </summary>
public sealed record SyncObserved(string Path, TimeSpan Duration, long WalBytes, ulong Txid, string? Error)
{
    public bool Failed => Error is not null;

    /// <summary>
    /// A monitor tick that found nothing new, counted as a sync as upstream counts one each interval: dashboards alert
    /// on a sync count that stops.
    /// </summary>
    public static SyncObserved Quiet(string path, long startedTimestamp, ulong txid) =>
        new(path, System.Diagnostics.Stopwatch.GetElapsedTime(startedTimestamp), 0, txid, null);
}
