using LitestreamActors.Actors.Cluster;

namespace LitestreamActors.Node.Control;

/// <summary>One catalog row in API answers: TXIDs as 16 hex digits, the node as its address, the owner as the node writing the target.</summary>
public sealed record CatalogRowView(
    string Node,
    string Database,
    string Replica,
    string Type,
    string Target,
    string State,
    string? Txid,
    string? ReplicaTxid,
    long? LagSeconds,
    DateTimeOffset? LastUploadAt,
    string? LastError,
    string? LastProvenTxid,
    string Owner)
{
    public static CatalogRowView From(CatalogRow row) => new(
        row.Node, row.Database, row.Replica, row.Type, row.Target, row.State, ReplicaView.Hex(row.LocalTxid), ReplicaView.Hex(row.ReplicaTxid),
        row.LagSeconds, row.LastUploadAt, row.LastError, ReplicaView.Hex(row.LastProvenTxid), row.Owner);
}
