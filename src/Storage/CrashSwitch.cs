using System.Runtime.InteropServices;

namespace LitestreamActors.Storage;

/// <summary>
/// Test-only, compiled into every build and inert unless set: <c>LITESTREAM_CRASH_AT=point[:N]</c> (read once at
/// start) kills the process with SIGKILL, as <c>kill -9</c> does (no flush, no final sync), the Nth time (default the
/// first) it passes the named point. The fault tests crash the node at each step this way (docs/reliability.md).
/// </summary>
public static class CrashSwitch
{
    public const string Variable = "LITESTREAM_CRASH_AT";

    /// <summary>After an L0 temp file is written and fsynced, before its rename publishes it.</summary>
    public const string L0BeforeRename = "l0-before-rename";

    /// <summary>After the rename, before the capture records its new position.</summary>
    public const string L0BeforePosition = "l0-before-position";

    /// <summary>After every replica holds a file, before the local L0 files are pruned.</summary>
    public const string BeforePrune = "before-prune";

    /// <summary>In a checkpoint: after the passive copy, before the capture to the WAL's end under the write barrier.</summary>
    public const string CheckpointBetweenPhases = "checkpoint-between-phases";

    public static IReadOnlyList<string> Points { get; } = [L0BeforeRename, L0BeforePosition, BeforePrune, CheckpointBetweenPhases];

    private static readonly (string Point, int Pass)? Armed = Parse(Environment.GetEnvironmentVariable(Variable));
    private static int _passes;

    /// <summary>Passes a named point: the process dies here if the switch names it and this is its Nth pass.</summary>
    public static void At(string point)
    {
        if (Armed is not { } armed || armed.Point != point || Interlocked.Increment(ref _passes) != armed.Pass)
        {
            return;
        }
        Console.Error.WriteLine($"crash switch: killed at {point}, pass {armed.Pass}");
        Console.Error.Flush();
        Kill(Environment.ProcessId, 9);
    }

    private static (string, int)? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var parts = text.Split(':', 2);
        return (parts[0], parts.Length > 1 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
