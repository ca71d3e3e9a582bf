namespace LitestreamActors.Actors.Status;

/// <summary>One replica as its actor sees it: the TXID the replica holds (null until listed) and the last error, if any.</summary>
public sealed record ReplicaStatus(string Name, string Type, string Location, ulong? Txid, DateTimeOffset? LastUploadAt, string? LastError)
{
    /// <summary>The newest TXID a restore drill proved restorable, and that TXID's time.</summary>
    public ulong? LastProvenTxid { get; init; }

    public DateTimeOffset? LastProvenAt { get; init; }

    /// <summary>Why the last restore drill failed; null when it passed or none ran.</summary>
    public string? LastDrillError { get; init; }

    /// <summary>The node (or process) holding the replica's lease while this one waits as a standby; null when this one writes.</summary>
    public string? Owner { get; init; }

    /// <summary>How long the oldest commit this replica does not hold yet has waited (zero when it holds all); null until known.</summary>
    public TimeSpan? Lag { get; init; }
}
