using Akka.Actor;
using LitestreamActors.Actors.Settings;

namespace LitestreamActors.Actors.Supervision;

/// <summary>
/// One database the supervisor knows: its settings, its actor while one exists (a stopping or failed database's
/// actor may still be terminating), its lifecycle and why it failed, and the request a stop answers.
/// </summary>
internal sealed record DatabaseEntry(DatabaseSettings Settings)
{
    public IActorRef? Actor { get; init; }

    public DatabaseLifecycle State { get; init; } = DatabaseLifecycle.Starting;

    public string? Reason { get; init; }

    public PendingStop? Stop { get; init; }

    /// <summary>The <c>dir:</c> entry that found it; such a database comes and goes with its file and is never journaled.</summary>
    public DatabaseDirectory? Origin { get; init; }

    /// <summary>Stopped by request or failed: it takes no sync and shows why.</summary>
    public bool IsStopped => State is DatabaseLifecycle.StoppedByRequest or DatabaseLifecycle.Failed;
}
