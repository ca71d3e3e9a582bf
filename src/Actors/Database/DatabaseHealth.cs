using System.Collections.Immutable;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// What is wrong with a database now, as its actor learns it: the last capture's failure or wait, and the replicas
/// whose last attempt failed. Its state is what <c>databases</c>, <c>status</c> and readiness show; a final sync
/// asks it whether a failure came after the sync began. Immutable: each event gives the next value.
/// </summary>
public sealed record DatabaseHealth(bool Started, string? CaptureProblem, bool Waiting, ImmutableSortedDictionary<string, string> FailingReplicas, long Failures)
{
    public static DatabaseHealth Initial { get; } = new(false, null, false, ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal), 0);

    /// <summary>starting, waiting (for the database file), failed (capture or a replica) or replicating.</summary>
    public string State => !Started ? "starting"
        : CaptureProblem is not null ? (Waiting ? "waiting" : "failed")
        : FailingReplicas.Count > 0 ? "failed"
        : "replicating";

    /// <summary>Why the database is not replicating as it should; null when it is.</summary>
    public string? Problem => CaptureProblem
        ?? (FailingReplicas.Count > 0 ? string.Join("; ", FailingReplicas.Select(r => $"replica {r.Key}: {r.Value}")) : null);

    public DatabaseHealth CaptureSucceeded() => Started && CaptureProblem is null && !Waiting ? this : this with { Started = true, CaptureProblem = null, Waiting = false };

    public DatabaseHealth CaptureWaiting(string reason) => this with { Started = true, CaptureProblem = reason, Waiting = true };

    public DatabaseHealth CaptureFailed(string reason) => this with { Started = true, CaptureProblem = reason, Waiting = false, Failures = Failures + 1 };

    public DatabaseHealth ReplicaFailed(string replica, string reason) =>
        this with { FailingReplicas = FailingReplicas.SetItem(replica, reason), Failures = Failures + 1 };

    public DatabaseHealth ReplicaSucceeded(string replica) => this with { FailingReplicas = FailingReplicas.Remove(replica) };

    /// <summary>
    /// Why a final sync that began when <see cref="Failures"/> was <paramref name="failuresBefore"/> cannot deliver
    /// the final state: the database file is missing, or a failure came after it began and still stands. Null: go on.
    /// </summary>
    public string? FinalSyncProblem(long failuresBefore) =>
        Waiting ? CaptureProblem : Failures > failuresBefore ? Problem : null;
}
