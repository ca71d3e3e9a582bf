using LitestreamActors.Storage.IO;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace LitestreamActors.Storage.Replica.Sftp;

/// <summary>
/// A replica on an SFTP server, laid out as upstream's: <c>&lt;path&gt;/ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c>, mtime set
/// to the LTX timestamp. Writes go to a temp name and are renamed into place. The server's host key must match
/// <c>host-key</c>; accepting any key takes an explicit <c>insecure-ignore-host-key: true</c>.
/// </summary>
public sealed class SftpReplicaClient : IReplicaClient
{
    private readonly SftpLocation _location;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private SftpClient? _client;

    public SftpReplicaClient(SftpLocation location)
    {
        _location = location;
    }

    public string Type => "sftp";

    public string DisplayLocation => $"sftp://{_location.User}@{_location.Host}:{_location.Port}{_location.Path}";

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => Run(client =>
    {
        var directory = _location.Directory(level);
        if (!client.Exists(directory))
        {
            return (IReadOnlyList<LtxFileInfo>)[];
        }
        var files = new List<LtxFileInfo>();
        foreach (var entry in client.ListDirectory(directory))
        {
            if (entry.IsRegularFile && Ltx.LtxFileName.TryParse(entry.Name, out var min, out var max))
            {
                files.Add(new LtxFileInfo(level, min, max, entry.Length, new DateTimeOffset(entry.LastWriteTimeUtc, TimeSpan.Zero)));
            }
        }
        files.Sort(LtxFileInfo.CompareByTxid);
        return (IReadOnlyList<LtxFileInfo>)files;
    }, "list");

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken) => Run(client =>
    {
        var path = FilePath(level, minTxid, maxTxid);
        // Read whole into memory under the connection lock: LTX files are bounded and SSH.NET streams are not thread-safe.
        var buffer = new MemoryStream();
        try
        {
            client.DownloadFile(path, buffer);
        }
        catch (SftpPathNotFoundException)
        {
            throw new ReplicaFileNotFoundException($"{path}: not found on {DisplayLocation}");
        }
        buffer.Position = Math.Min(offset, buffer.Length);
        return (Stream)new IO.BoundedReadStream(buffer, length);
    }, "read");

    public Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken) => Run(client =>
    {
        var directory = _location.Directory(level);
        CreateDirectories(client, directory);
        var path = FilePath(level, minTxid, maxTxid);
        var temp = path + ".tmp";
        client.UploadFile(content, temp, canOverride: true);
        client.SetLastWriteTimeUtc(temp, createdAt.UtcDateTime);
        var size = client.GetAttributes(temp).Size;
        client.RenameFile(temp, path, isPosix: true);
        return new LtxFileInfo(level, minTxid, maxTxid, size, createdAt);
    }, "write");

    public Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken) => Run(client =>
    {
        foreach (var file in files)
        {
            try
            {
                client.DeleteFile(FilePath(file.Level, file.MinTxid, file.MaxTxid));
            }
            catch (SftpPathNotFoundException)
            {
            }
        }
        return 0;
    }, "delete");

    public async ValueTask DisposeAsync()
    {
        // An operation still running holds the session: it is closed once that ends.
        await _lock.WaitAsync();
        _client?.Dispose();
        _client = null;
        _lock.Release();
    }

    private string FilePath(int level, ulong minTxid, ulong maxTxid) => $"{_location.Directory(level)}/{Ltx.LtxFileName.Format(minTxid, maxTxid)}";

    private static void CreateDirectories(SftpClient client, string directory)
    {
        var path = string.Empty;
        foreach (var part in directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path += "/" + part;
            if (!client.Exists(path))
            {
                client.CreateDirectory(path);
            }
        }
    }

    private async Task<T> Run<T>(Func<SftpClient, T> action, string what)
    {
        await _lock.WaitAsync();
        try
        {
            return await Task.Run(() => action(Connected()));
        }
        catch (Exception e) when (e is SshException or SftpPermissionDeniedException or System.Net.Sockets.SocketException or IOException)
        {
            _client?.Dispose();
            _client = null;
            throw new StorageException($"sftp {what} {DisplayLocation}: {e.Message}");
        }
        finally
        {
            _lock.Release();
        }
    }

    private SftpClient Connected()
    {
        if (_client is { IsConnected: true })
        {
            return _client;
        }
        _client?.Dispose();
        var methods = new List<AuthenticationMethod>();
        if (_location.KeyPath is { } keyPath)
        {
            methods.Add(new PrivateKeyAuthenticationMethod(_location.User, new PrivateKeyFile(keyPath)));
        }
        if (_location.Password is { } password)
        {
            methods.Add(new PasswordAuthenticationMethod(_location.User, password));
        }
        // SSH.NET waits for ever by default: a stalled server would hold replication until the process ends.
        var client = new SftpClient(new Renci.SshNet.ConnectionInfo(_location.Host, _location.Port, _location.User, [.. methods]))
        {
            OperationTimeout = StallGuardedHttp.IdleTimeout,
        };
        client.HostKeyReceived += (_, e) => e.CanTrust = _location.InsecureIgnoreHostKey || HostKeyMatches(e.HostKey);
        client.Connect();
        _client = client;
        return client;
    }

    // host-key is the server's public key line ("ssh-ed25519 AAAA..."), as in known_hosts.
    private bool HostKeyMatches(byte[] presented)
    {
        var parts = _location.HostKey!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var expected = parts.Length >= 2 ? parts[1] : parts[0];
        return expected == Convert.ToBase64String(presented);
    }
}
