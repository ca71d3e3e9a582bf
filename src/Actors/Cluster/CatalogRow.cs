using LitestreamActors.Actors.Status;

namespace LitestreamActors.Actors.Cluster;

/// <summary>
/// One replica of one database on one node, as the cluster-wide catalog holds it (docs/cluster.md, "Catalog"). Each
/// node writes only its own rows; the target is the replica's display location, which never carries a secret.
/// </summary>
public sealed record CatalogRow(
    string Node,
    string Database,
    string Replica,
    string Type,
    string Target,
    string State,
    ulong? LocalTxid,
    ulong? ReplicaTxid,
    long? LagSeconds,
    DateTimeOffset? LastUploadAt,
    string? LastError,
    ulong? LastProvenTxid,
    string Owner)
{
    public const string Running = "running";
    public const string Stopped = "stopped";
    public const string Failed = "failed";
    public const string Waiting = "waiting";
    public const string Standby = "standby";
    public const string Following = "following";
    public const string Demoted = "demoted";

    public string Key => $"{Node}|{Database}|{Replica}";

    /// <summary>A database's rows, one per replica, each naming the node that writes the target; lag in whole seconds so a steady state publishes nothing new.</summary>
    public static IEnumerable<CatalogRow> From(string node, DatabaseStatus database) => database.Replicas.Select(replica => new CatalogRow(
        node,
        database.Path,
        replica.Name,
        replica.Type,
        replica.Location,
        StateOf(database, replica),
        database.Txid,
        replica.Txid,
        replica.Lag is { } lag ? (long)lag.TotalSeconds : null,
        replica.LastUploadAt,
        replica.LastError ?? database.LastError,
        replica.LastProvenTxid,
        replica.Owner ?? node));

    /// <summary>A replica's state as the catalog and the metrics name it.</summary>
    public static string StateOf(DatabaseStatus database, ReplicaStatus replica) => database.State switch
    {
        "stopped" => Stopped,
        LitestreamActors.Actors.Database.DatabaseActor.Standby => Standby,
        LitestreamActors.Actors.Database.DatabaseActor.Demoted => Demoted,
        LitestreamActors.Actors.Standby.StandbyActor.Following or LitestreamActors.Actors.Standby.StandbyActor.Restoring => Following,
        "failed" => Failed,
        "waiting" or "starting" => Waiting,
        _ when replica.LastError is not null => Failed,
        _ => Running,
    };
}
