using LitestreamActors.Storage.IO;

namespace LitestreamActors.Storage.Replica.File;

/// <summary>
/// A replica in a local folder, laid out as Litestream's: <c>&lt;root&gt;/ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c>, the file's
/// mtime set to the LTX timestamp. Writes go to a temp file that is fsynced, then renamed, then the folder fsynced.
/// </summary>
public sealed class FileReplicaClient(string root) : IReplicaClient
{
    public const string GenerationAttribute = "user.litestream.generation";

    private readonly GenerationStamp _stamp = new();

    public string Root { get; } = Path.GetFullPath(root);

    public string Type => "file";

    public string DisplayLocation => Root;

    public string LevelDirectory(int level) => Path.Combine(Root, "ltx", level.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string FilePath(int level, ulong minTxid, ulong maxTxid) =>
        Path.Combine(LevelDirectory(level), Ltx.LtxFileName.Format(minTxid, maxTxid));

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken)
    {
        var directory = new DirectoryInfo(LevelDirectory(level));
        if (!directory.Exists)
        {
            return Task.FromResult<IReadOnlyList<LtxFileInfo>>([]);
        }
        var files = new List<LtxFileInfo>();
        foreach (var file in directory.EnumerateFiles())
        {
            if (Ltx.LtxFileName.TryParse(file.Name, out var min, out var max))
            {
                files.Add(new LtxFileInfo(level, min, max, file.Length, new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero)));
            }
        }
        files.Sort(LtxFileInfo.CompareByTxid);
        return Task.FromResult<IReadOnlyList<LtxFileInfo>>(files);
    }

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken)
    {
        var path = FilePath(level, minTxid, maxTxid);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ReplicaFileNotFoundException($"ltx/{level}/{Ltx.LtxFileName.Format(minTxid, maxTxid)}: not found in replica {Root}");
        }
        stream.Position = offset;
        Stream result = length is { } n ? new BoundedReadStream(stream, n) : stream;
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<ReplicaObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        var directory = new DirectoryInfo(Path.Combine(Root, prefix));
        IReadOnlyList<ReplicaObject> objects = directory.Exists
            ? directory.EnumerateFiles("*", SearchOption.AllDirectories)
                .Select(f => new ReplicaObject(
                    Path.GetRelativePath(Root, f.FullName).Replace(Path.DirectorySeparatorChar, '/'), f.Length, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))
                .OrderBy(o => o.Path, StringComparer.Ordinal)
                .ToList()
            : [];
        return Task.FromResult(objects);
    }

    public Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult<Stream>(new FileStream(Path.Combine(Root, path), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ReplicaFileNotFoundException($"{path}: not found in replica {Root}");
        }
    }

    public async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var directory = LevelDirectory(level);
        CreateFolder(directory);
        var path = FilePath(level, minTxid, maxTxid);
        var temp = path + ".tmp";
        long size;
        if (content is FileStream { CanWrite: false, Position: 0 } local)
        {
            // A whole local file (an L0 file being uploaded) is copied by the kernel (copy_file_range), never through
            // our buffers: for a database's first file that is half a gigabyte per gigabyte (docs/performance.md,
            // "Catch-up").
            using var output = System.IO.File.OpenHandle(temp, FileMode.Create, FileAccess.Write);
            IO.KernelFileCopy.Copy(local.SafeFileHandle, output, local.Length, path);
            CrashSwitch.At(CrashSwitch.UploadBeforeRename);
            RandomAccess.FlushToDisk(output);
            size = RandomAccess.GetLength(output);
        }
        else
        {
            // Unbuffered: the copy writes 80 KiB pieces; a stream buffer was 64 KiB of garbage per upload.
            await using var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
            await content.CopyToAsync(output, cancellationToken);
            await output.FlushAsync(cancellationToken);
            CrashSwitch.At(CrashSwitch.UploadBeforeRename);
            output.Flush(flushToDisk: true);
            size = output.Length;
        }
        if (_stamp.Current is var generation and > 0)
        {
            IO.FileAttributes.TrySet(temp, GenerationAttribute, generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        System.IO.File.SetLastWriteTimeUtc(temp, createdAt.UtcDateTime);
        System.IO.File.Move(temp, path, overwrite: true);
        DurableFile.FsyncDirectory(directory);
        return new LtxFileInfo(level, minTxid, maxTxid, size, createdAt);
    }

    // A file where a folder of the replica should be says so, rather than "could not find a part of the path".
    internal void CreateFolder(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException)
        {
            for (var path = directory; !string.IsNullOrEmpty(path); path = Path.GetDirectoryName(path))
            {
                if (System.IO.File.Exists(path))
                {
                    throw new StorageException($"replica {Root}: {path} is a file, not a folder");
                }
            }
            throw;
        }
    }

    public void StampGeneration(long generation) => _stamp.Set(generation);

    public Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new Lease.LeaseSupport(new FileLeaseStore(this), null));

    public Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var file in files)
        {
            if (deleted++ == 1)
            {
                CrashSwitch.At(CrashSwitch.RetentionMidDelete);
            }
            System.IO.File.Delete(FilePath(file.Level, file.MinTxid, file.MaxTxid));
        }
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
