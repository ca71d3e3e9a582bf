namespace LitestreamActors.Actors.Settings;

/// <summary>One entry of the <c>exec:</c> list (ours): a command run without a shell on an event.</summary>
public sealed record ExecHook(IReadOnlyList<string> Command, string On, TimeSpan Timeout)
{
    public static IReadOnlySet<string> Events { get; } = new HashSet<string>(StringComparer.Ordinal) { "started", "synced", "snapshot", "error", "stopped" };
}
