using LitestreamActors.Actors.Status;

namespace LitestreamActors.Node.Control;

/// <summary>One database in API answers, with every replica's position; <see cref="Replica"/> is upstream's key (the first replica's type).</summary>
public sealed record DatabaseView(
    string Path, string Status, string? Txid, DateTimeOffset? LastSyncAt, string? LastError, IReadOnlyList<ReplicaView> Replicas)
{
    public string? Replica => Replicas.Count > 0 ? Replicas[0].Type : null;

    /// <summary>A standby: the followed database's TXID as its writer reports it; absent otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? SourceTxid { get; init; }

    public static DatabaseView From(DatabaseStatus status) => new(
        status.Path,
        status.State,
        ReplicaView.Hex(status.Txid),
        status.LastSyncAt,
        status.LastError,
        [.. status.Replicas.Select(ReplicaView.From)])
    {
        SourceTxid = ReplicaView.Hex(status.SourceTxid),
    };
}
