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

    /// <summary>SQLite has truncated the WAL; the capture has not held a read again nor written the full L0 file that follows.</summary>
    public const string CheckpointTruncated = "checkpoint-truncated";

    /// <summary>The file backend has written an upload's temp file; it is neither fsynced nor renamed into place.</summary>
    public const string UploadBeforeRename = "upload-before-rename";

    /// <summary>A compacted file is uploaded at its level; the compactor has not recorded it.</summary>
    public const string CompactionAfterUpload = "compaction-after-upload";

    /// <summary>A level 9 snapshot is uploaded; the snapshot actor has not recorded it nor applied snapshot retention.</summary>
    public const string SnapshotAfterUpload = "snapshot-after-upload";

    /// <summary>The file backend has deleted the first of several files retention removes; the rest are still there.</summary>
    public const string RetentionMidDelete = "retention-mid-delete";

    /// <summary>The node's points, in the order of a file's life.</summary>
    public static IReadOnlyList<string> NodePoints { get; } =
        [L0BeforeRename, L0BeforePosition, UploadBeforeRename, BeforePrune, CheckpointBetweenPhases, CheckpointTruncated,
         CompactionAfterUpload, SnapshotAfterUpload, RetentionMidDelete];

    /// <summary><c>restore</c> has written a file's pages into its temp file; more files follow, nothing is renamed.</summary>
    public const string RestoreMid = "restore-mid";

    /// <summary><c>restore -f</c> has written a file's pages into the output; the TXID it reached is not recorded.</summary>
    public const string FollowBeforeRecord = "follow-before-record";

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
