namespace LitestreamActors.Storage.Capture;

/// <summary>
/// One replicating process per database on a machine: an exclusive advisory lock on <c>lock</c> in the database's
/// local state folder, held for the process's life, and who holds it in <c>lock.owner</c> beside it (the lock file
/// itself cannot be read while locked). A second process is refused with the holder's name.
/// </summary>
public sealed class LocalStateLock : IDisposable
{
    private readonly FileStream _lock;

    private LocalStateLock(FileStream held) => _lock = held;

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
            var holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "another process";
            throw new StorageException($"{databasePath} is already replicated by {holder} on this machine (lock {path})");
        }
        File.WriteAllText(owner, $"process {Environment.ProcessId} ({Environment.MachineName})");
        return new LocalStateLock(held);
    }

    public void Dispose() => _lock.Dispose();
}
