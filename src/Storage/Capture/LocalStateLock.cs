using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// One replicating process per database on a machine: an exclusive advisory lock on <c>lock</c> in the database's
/// local state folder, held for the process's life, and who holds it in <c>lock.owner</c> beside it (the lock file
/// itself cannot be read while locked). A second process is refused with the holder's name.
/// </summary>
public sealed class LocalStateLock : IDisposable
{
    private const string LeaseMark = " as lease owner ";
    // Every lock this process holds, with the lease owner that held it before (null: none known).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> HeldHere = new(StringComparer.Ordinal);
    private readonly FileStream _lock;
    private readonly string _key;

    private LocalStateLock(FileStream held, string key) => (_lock, _key) = (held, key);

    public static LocalStateLock Acquire(string metaPath, string databasePath)
    {
        Directory.CreateDirectory(metaPath);
        var path = Path.Combine(metaPath, "lock");
        var owner = path + ".owner";
        FileStream held;
        try
        {
            held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = File.Exists(owner) ? File.ReadAllText(owner).Split(LeaseMark)[0].Trim() : "another process";
            throw new StorageException($"{databasePath} is already replicated by {holder} on this machine (lock {path})");
        }
        var key = KeyOf(metaPath);
        var former = File.Exists(owner) && File.ReadAllText(owner).Split(LeaseMark) is [_, var recorded] && recorded.Trim() is { Length: > 0 } name
            && name != LeaseOwner.ThisProcess ? name : null;
        File.WriteAllText(owner, $"process {Environment.ProcessId} ({Environment.MachineName}){LeaseMark}{LeaseOwner.ThisProcess}");
        HeldHere[key] = former;
        return new LocalStateLock(held, key);
    }

    /// <summary>
    /// The lease owner of the process that held the lock on <paramref name="metaPath"/> before this one, while this
    /// process holds it: that process no longer runs with this database (docs/cluster.md, "Standbys").
    /// </summary>
    public static string? FormerHolder(string metaPath) => HeldHere.GetValueOrDefault(KeyOf(metaPath));

    /// <summary>Whether this process holds the lock on <paramref name="metaPath"/> already.</summary>
    public static bool IsHeldHere(string metaPath) => HeldHere.ContainsKey(KeyOf(metaPath));

    private static string KeyOf(string metaPath) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(metaPath));

    public void Dispose()
    {
        HeldHere.TryRemove(_key, out _);
        _lock.Dispose();
    }
}
