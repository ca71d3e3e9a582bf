namespace LitestreamActors.Storage.Replica;

/// <summary>
/// One replica location. Keys derive from level and TXID range, so a repeated write of the same file is idempotent.
/// Implementations never overwrite a file in place: a write becomes visible whole or not at all. Whoever creates a client
/// disposes it (connections, sessions, temporary files); wrappers forward disposal.
/// </summary>
public interface IReplicaClient : IAsyncDisposable
{
    /// <summary>The backend's type as config and output name it: file, s3, abs, gs, nats, sftp, webdav.</summary>
    string Type { get; }

    /// <summary>The location with any credential removed, fit for logs and output.</summary>
    string DisplayLocation { get; }

    /// <summary>The files of one level, ordered by MinTXID then MaxTXID.</summary>
    Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken);

    /// <summary>
    /// The listing with each file's exact timestamp, for restores to a point in time. Backends whose listing carries only
    /// an upload time (S3: LastModified) read the LTX timestamp from each object's metadata, as upstream does.
    /// </summary>
    Task<IReadOnlyList<LtxFileInfo>> ListWithTimestampsAsync(int level, CancellationToken cancellationToken) => ListAsync(level, cancellationToken);

    /// <summary>Opens a file for reading from <paramref name="offset"/>; <paramref name="length"/> null reads to the end.</summary>
    Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>Writes a whole file atomically and records <paramref name="createdAt"/> as its timestamp.</summary>
    Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>
    /// The lease generation this process writes under, stamped into each file written from now on where the backend
    /// keeps metadata (<c>litestream-generation</c>; a folder's files: the <c>user.litestream.generation</c> attribute),
    /// so every file says which holder wrote it. Backends without metadata ignore it.
    /// </summary>
    void StampGeneration(long generation)
    {
    }

    /// <summary>
    /// The replica's lease store (<c>lock.json</c> by conditional writes), or why this backend has none. Asking may probe
    /// the server: a store that ignores preconditions has no lease.
    /// </summary>
    Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Lease.LeaseSupport.None($"the {Type} backend has no conditional writes"));

    /// <summary>
    /// Objects under a path relative to the replica root (recursive), for reading Litestream 0.3 backups
    /// (<c>generations/…</c>). Backends that cannot yet say so.
    /// </summary>
    Task<IReadOnlyList<ReplicaObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken) =>
        throw new StorageException($"reading Litestream 0.3 backups from the {Type} backend is not supported yet (file, s3, abs and gs are)");

    /// <summary>Opens an object by its path relative to the replica root.</summary>
    Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken) =>
        throw new StorageException($"reading Litestream 0.3 backups from the {Type} backend is not supported yet (file, s3, abs and gs are)");

    /// <summary>Deletes files; a file already gone is not an error.</summary>
    Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken);
}
