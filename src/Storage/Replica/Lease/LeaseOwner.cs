using System.Globalization;

namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// A lease owner's name, <c>host:pid:nonce</c>: which process on which machine holds a lease. A holder on this machine
/// whose process is gone cannot write any more, so its lease need not be waited out (a restart after kill -9 goes on at
/// once); a live process, or one elsewhere, is waited for.
/// </summary>
public static class LeaseOwner
{
    /// <summary>Who this process is, as a lease names its owner (and the local state lock records it).</summary>
    public static string ThisProcess { get; } = ForThisProcess();

    private static string ForThisProcess() =>
        $"{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>True only when the owner names this machine and a process id that no longer exists here.</summary>
    public static bool IsGoneFromThisMachine(string owner)
    {
        var parts = owner.Split(':');
        return OperatingSystem.IsLinux()
            && parts.Length == 3
            && parts[0] == Environment.MachineName
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            && pid != Environment.ProcessId
            && !Directory.Exists($"/proc/{pid}");
    }
}
