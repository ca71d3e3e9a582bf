namespace LitestreamActors.Actors.Hooks;

/// <summary>How an exec hook ended: its exit code (null when it never ran or was killed), its output, and the problem if any.</summary>
public sealed record HookOutcome(int? ExitCode, string Output, string? Problem);
