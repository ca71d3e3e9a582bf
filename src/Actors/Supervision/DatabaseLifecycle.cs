namespace LitestreamActors.Actors.Supervision;

/// <summary>Where a database stands in the supervisor's hands.</summary>
public enum DatabaseLifecycle
{
    /// <summary>Its actor is being created.</summary>
    Starting,

    /// <summary>Its actor runs (whatever its capture and replicas report).</summary>
    Running,

    /// <summary>A stop or unregister request is running its final sync.</summary>
    Stopping,

    StoppedByRequest,

    /// <summary>Its configuration cannot work, or it failed too often; <see cref="DatabaseEntry.Reason"/> says why.</summary>
    Failed,
}
