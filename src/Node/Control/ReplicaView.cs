using LitestreamActors.Actors.Status;

namespace LitestreamActors.Node.Control;

/// <summary>One replica in API answers: TXIDs as 16 hex digits (as <c>ltx</c> prints them), lag in seconds; the owner when another node writes the target (this one a standby).</summary>
public sealed record ReplicaView(
    string Name,
    string Type,
    string Location,
    string? Txid,
    double? LagSeconds,
    DateTimeOffset? LastUploadAt,
    string? LastError,
    string? LastProvenTxid,
    DateTimeOffset? LastProvenAt,
    string? LastDrillError,
    string? Owner)
{
    public static ReplicaView From(ReplicaStatus status) => new(
        status.Name,
        status.Type,
        status.Location,
        Hex(status.Txid),
        status.Lag is { } lag ? Math.Round(lag.TotalSeconds, 3) : null,
        status.LastUploadAt,
        status.LastError,
        Hex(status.LastProvenTxid),
        status.LastProvenAt,
        status.LastDrillError,
        status.Owner);

    public static string? Hex(ulong? txid) => txid is { } value ? Storage.Ltx.Txid.Format(value) : null;
}
