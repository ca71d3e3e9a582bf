namespace LitestreamActors.Storage.Replica;

/// <summary>
/// One replica location. Keys derive from level and TXID range, so a repeated write of the same file is idempotent.
/// Implementations never overwrite a file in place: a write becomes visible whole or not at all.
/// </summary>
public interface IReplicaClient
{
    /// <summary>The backend's type as config and output name it: file, s3, abs, gs, nats, sftp, webdav.</summary>
    string Type { get; }

    /// <summary>The location with any credential removed, fit for logs and output.</summary>
    string DisplayLocation { get; }

    /// <summary>The files of one level, ordered by MinTXID then MaxTXID.</summary>
    Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken);

    /// <summary>Opens a file for reading from <paramref name="offset"/>; <paramref name="length"/> null reads to the end.</summary>
    Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken);

    /// <summary>Writes a whole file atomically and records <paramref name="createdAt"/> as its timestamp.</summary>
    Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>Deletes files; a file already gone is not an error.</summary>
    Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken);
}
