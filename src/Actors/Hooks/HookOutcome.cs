namespace LitestreamActors.Actors.Hooks;

/// <summary>How an exec hook ended: its output, and the problem (could not start, non-zero exit, timed out) if any.</summary>
public sealed record HookOutcome(string Output, string? Problem);
