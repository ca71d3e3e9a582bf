using LitestreamActors.Actors.Status;

namespace LitestreamActors.Node.Control;

/// <summary>
/// Readiness: every database that should be replicating finished a capture cycle within two monitor intervals (plus a
/// second of slack for a busy machine), and none is failing (its capture or a replica) or waiting for its file. A
/// database stopped on request does not count; one stopped by an error does.
/// </summary>
public static class Health
{
    public static IReadOnlyList<string> NotReady(IEnumerable<DatabaseStatus> databases, DateTimeOffset now) =>
        databases.Select(d => Problem(d, now)).OfType<string>().ToList();

    private static string? Problem(DatabaseStatus database, DateTimeOffset now)
    {
        if (database.State == "stopped")
        {
            return database.LastError == Actors.Supervision.LitestreamSupervisor.StoppedByRequest ? null : $"{database.Path}: stopped: {database.LastError}";
        }
        if (database.State == Actors.Standby.StandbyActor.Following)
        {
            return database.LastError is { } lagging ? $"{database.Path}: standby behind its replica: {lagging}" : null;
        }
        if (database.State is "failed" or "waiting" or Actors.Standby.StandbyActor.Restoring or Actors.Database.DatabaseActor.Demoted)
        {
            return $"{database.Path}: {database.State}: {database.LastError}";
        }
        var allowed = 2 * (database.MonitorInterval ?? TimeSpan.FromSeconds(1)) + TimeSpan.FromSeconds(1);
        return database.LastCheckAt is { } checkedAt && now - checkedAt <= allowed
            ? null
            : $"{database.Path}: no capture since {(database.LastCheckAt is { } at ? at.ToString("O") : "start")}{(database.LastError is { } error ? ": " + error : string.Empty)}";
    }
}
