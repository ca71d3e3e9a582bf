namespace LitestreamActors.Actors.Supervision;

/// <summary>
/// A failure its actor already reported (to the actor that retries it, which logs it once): thrown only so the
/// supervisor restarts the actor, and not logged again.
/// </summary>
public sealed class AlreadyReportedException(string message, Exception inner) : Exception(message, inner);
