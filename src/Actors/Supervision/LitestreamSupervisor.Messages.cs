using LitestreamActors.Actors.Database;

namespace LitestreamActors.Actors.Supervision;

// The supervisor's messages: every database's status, one database's, and the control requests.
public sealed partial class LitestreamSupervisor
{
    /// <summary>The status of every database, as plain records, ordered by path.</summary>
    public sealed record GetStatus;

    /// <summary>One database's status, or a <see cref="Control.ControlError"/>.</summary>
    public sealed record GetDatabase(string Path);

    /// <summary>Capture now; with <see cref="Wait"/>, also until every replica holds it. Replies <see cref="DatabaseActor.Synced"/>.</summary>
    public sealed record SyncDatabase(string Path, bool Wait, TimeSpan Timeout);

    /// <summary>
    /// Where a database's replica (by name; the first when null) lives, without its credentials, so another node can
    /// restore from it with its own. Replies <see cref="ReplicaDescription"/> or a <see cref="Control.ControlError"/>.
    /// </summary>
    public sealed record DescribeReplica(string Path, string? Replica);

    public sealed record ReplicaDescription(string Name, Storage.Replica.ReplicaEndpoint Endpoint);

    public sealed record StartDatabase(string Path);

    /// <summary>A final sync bounded by <see cref="Timeout"/>, then the database's actors stop until started again.</summary>
    public sealed record StopDatabase(string Path, TimeSpan Timeout);

    /// <summary>Replicates a database not in the config to one replica URL, until unregistered.</summary>
    public sealed record RegisterDatabase(string Path, string ReplicaUrl);

    public sealed record UnregisterDatabase(string Path, TimeSpan Timeout);

    /// <summary>Capture everything committed and wait for every replica to hold it, or fail after the timeout.</summary>
    public sealed record FinalSync(TimeSpan Timeout);

    public sealed record FinalSyncDone(IReadOnlyList<DatabaseActor.Synced> Databases);
}
