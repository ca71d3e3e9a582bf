using System.Security.Cryptography;
using LitestreamActors.Storage.IO;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Storage.Replica.File;

/// <summary>
/// A folder replica's <c>lock.json</c>. Create is a temp file linked into place (no-overwrite rename: exactly one of
/// two creators wins); replace holds <c>lock.json.guard</c> (exclusive create) while it compares the version (a hash of
/// the content) and renames a new file over the old. A guard left by a process that died mid-replace is removed once
/// it is older than <see cref="StaleGuard"/>; the holder's monotonic deadline still keeps a stale writer out
/// (docs/cluster.md).
/// </summary>
internal sealed class FileLeaseStore(FileReplicaClient replica) : IReplicaLeaseStore
{
    private static readonly TimeSpan StaleGuard = TimeSpan.FromSeconds(10);

    private string Root => replica.Root;

    private string LeasePath => Path.Combine(Root, LeaseRecord.FileName);

    private string GuardPath => LeasePath + ".guard";

    public Task<LeaseState?> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Read());

    public Task<string?> TryCreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        replica.CreateFolder(Root);
        var (temp, version) = WriteTemp(record);
        try
        {
            System.IO.File.Move(temp, LeasePath, overwrite: false);
        }
        catch (IOException) when (System.IO.File.Exists(LeasePath))
        {
            System.IO.File.Delete(temp);
            return Task.FromResult<string?>(null);
        }
        DurableFile.FsyncDirectory(Root);
        return Task.FromResult<string?>(version);
    }

    public Task<string?> TryReplaceAsync(LeaseRecord record, string version, CancellationToken cancellationToken)
    {
        FileStream guard;
        try
        {
            guard = new FileStream(GuardPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException) when (System.IO.File.Exists(GuardPath))
        {
            if (DateTime.UtcNow - System.IO.File.GetLastWriteTimeUtc(GuardPath) > StaleGuard)
            {
                System.IO.File.Delete(GuardPath);
            }
            return Task.FromResult<string?>(null);
        }
        using (guard)
        {
            if (Read()?.Version != version)
            {
                return Task.FromResult<string?>(null);
            }
            var (temp, written) = WriteTemp(record);
            System.IO.File.Move(temp, LeasePath, overwrite: true);
            DurableFile.FsyncDirectory(Root);
            return Task.FromResult<string?>(written);
        }
    }

    private LeaseState? Read()
    {
        byte[] bytes;
        try
        {
            bytes = System.IO.File.ReadAllBytes(LeasePath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        // An unreadable record counts as expired; its version still guards the replace.
        var record = LeaseRecord.FromJson(bytes) ?? new LeaseRecord("unreadable " + LeaseRecord.FileName, DateTimeOffset.UnixEpoch);
        return new LeaseState(record, Version(bytes));
    }

    private (string Path, string Version) WriteTemp(LeaseRecord record)
    {
        var bytes = record.ToJson();
        var temp = $"{LeasePath}.{Guid.NewGuid():N}.tmp";
        using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
        {
            output.Write(bytes);
            output.Flush(flushToDisk: true);
        }
        return (temp, Version(bytes));
    }

    private static string Version(byte[] content) => Convert.ToHexString(SHA256.HashData(content), 0, 16);
}
