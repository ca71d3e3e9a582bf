using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google;
using Google.Apis.Auth.OAuth2;
using Google.Cloud.Storage.V1;
using StorageObject = Google.Apis.Storage.v1.Data.Object;

namespace LitestreamActors.Storage.Replica.Gcs;

/// <summary>
/// A replica in Google Cloud Storage, laid out as upstream's: <c>&lt;path&gt;/ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c> with
/// object metadata <c>litestream-timestamp</c>. An object becomes visible only when its upload completes.
/// </summary>
public sealed class GcsReplicaClient : IReplicaClient
{
    private const string GenerationMetadata = "litestream-generation";
    private const string TimestampMetadata = "litestream-timestamp";
    private readonly Lazy<Task<StorageClient>> _client;
    private const int DownloadPieceSize = 64 << 10;
    private readonly GenerationStamp _stamp = new();

    public GcsReplicaClient(GcsLocation location)
    {
        Location = location;
        _client = new Lazy<Task<StorageClient>>(() => Build(location));
    }

    public GcsLocation Location { get; }

    public string Type => "gs";

    public string DisplayLocation => $"gs://{Location.Bucket}/{Location.Prefix}";

    public async Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken)
    {
        var prefix = Location.LevelPrefix(level);
        var client = await Client();
        var files = new List<LtxFileInfo>();
        await Call(async () =>
        {
            await foreach (var item in client.ListObjectsAsync(Location.Bucket, prefix).WithCancellation(cancellationToken))
            {
                if (Ltx.LtxFileName.TryParse(item.Name[prefix.Length..], out var min, out var max))
                {
                    files.Add(new LtxFileInfo(level, min, max, (long)(item.Size ?? 0), CreatedAt(item)));
                }
            }
            return 0;
        }, "list", prefix);
        files.Sort(LtxFileInfo.CompareByTxid);
        return files;
    }

    public async Task<IReadOnlyList<ReplicaObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        var root = ObjectKeys.Object(Location.Prefix, string.Empty);
        var full = ObjectKeys.Folder(Location.Prefix, prefix);
        var client = await Client();
        var objects = new List<ReplicaObject>();
        await Call(async () =>
        {
            await foreach (var item in client.ListObjectsAsync(Location.Bucket, full).WithCancellation(cancellationToken))
            {
                objects.Add(new ReplicaObject(item.Name[root.Length..], (long)(item.Size ?? 0), item.UpdatedDateTimeOffset ?? DateTimeOffset.UnixEpoch));
            }
            return 0;
        }, "list", full);
        return objects;
    }

    public Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken) =>
        OpenNameAsync(ObjectKeys.Object(Location.Prefix, path), 0, null, cancellationToken);

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken) =>
        OpenNameAsync(Location.ObjectName(level, minTxid, maxTxid), offset, length, cancellationToken);

    private async Task<Stream> OpenNameAsync(string name, long offset, long? length, CancellationToken cancellationToken)
    {
        var client = await Client();
        // Asking for the object first turns a missing file into an error here, not in the middle of a read.
        await Call(() => client.GetObjectAsync(Location.Bucket, name, cancellationToken: cancellationToken), "read", name);
        // The client hands the body on in pieces of ChunkSize (10 MB by default): a download cut short resumes from the
        // last piece that reached the reader, so pieces stay small.
        var options = new DownloadObjectOptions { ChunkSize = DownloadPieceSize };
        if (offset > 0 || length is not null)
        {
            options.Range = new RangeHeaderValue(offset, length is { } n ? offset + n - 1 : null);
        }
        var pipe = new Pipe();
        _ = Task.Run(async () =>
        {
            Exception? failure = null;
            try
            {
                await using var sink = pipe.Writer.AsStream(leaveOpen: true);
                await Call(() => client.DownloadObjectAsync(Location.Bucket, name, sink, options, cancellationToken), "read", name);
            }
            catch (Exception e)
            {
                failure = e;
            }
            await pipe.Writer.CompleteAsync(failure);
        }, CancellationToken.None);
        return pipe.Reader.AsStream();
    }

    public void StampGeneration(long generation) => _stamp.Set(generation);

    public async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var name = Location.ObjectName(level, minTxid, maxTxid);
        var client = await Client();
        var size = content.CanSeek ? content.Length - content.Position : 0;
        var destination = new StorageObject
        {
            Bucket = Location.Bucket,
            Name = name,
            ContentType = "application/octet-stream",
            Metadata = _stamp.Metadata(TimestampMetadata, GenerationMetadata, createdAt),
        };
        var uploaded = await Call(() => client.UploadObjectAsync(destination, content, cancellationToken: cancellationToken), "write", name);
        return new LtxFileInfo(level, minTxid, maxTxid, (long?)uploaded.Size ?? size, createdAt);
    }

    public async Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        var client = await Client();
        foreach (var file in files)
        {
            var name = Location.ObjectName(file.Level, file.MinTxid, file.MaxTxid);
            try
            {
                await Call(async () => { await client.DeleteObjectAsync(Location.Bucket, name, cancellationToken: cancellationToken); return 0; }, "delete", name);
            }
            catch (ReplicaFileNotFoundException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsValueCreated && await _client.Value.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default) is { } client)
        {
            client.Dispose();
        }
    }

    public async Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken) => new(
        new GcsLeaseStore(await Client(), Location.Bucket, ObjectKeys.Object(Location.Prefix, Lease.LeaseRecord.FileName)), null);

    private static async Task<StorageClient> Build(GcsLocation location)
    {
        var builder = new StorageClientBuilder { HttpClientFactory = new StallGuardedGcsHttpClientFactory() };
        if (location.Endpoint is { } endpoint)
        {
            var root = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "http://" + endpoint;
            builder.BaseUri = root.TrimEnd('/') + "/storage/v1/";
            builder.UnauthenticatedAccess = location.CredentialsFile is null;
        }
        if (location.CredentialsFile is { } file)
        {
            builder.Credential = (await CredentialFactory.FromFileAsync<ServiceAccountCredential>(file, CancellationToken.None)).ToGoogleCredential();
        }
        return await builder.BuildAsync();
    }

    private async Task<StorageClient> Client()
    {
        try
        {
            return await _client.Value;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new StorageException($"gs {DisplayLocation}: no usable Google credentials: {e.Message.Split('\n', 2)[0]}");
        }
    }

    private static DateTimeOffset CreatedAt(StorageObject item) =>
        item.Metadata is { } metadata && metadata.TryGetValue(TimestampMetadata, out var text) && ReplicaTimestamp.TryParse(text, out var at)
            ? at
            : item.UpdatedDateTimeOffset ?? DateTimeOffset.UnixEpoch;

    private async Task<T> Call<T>(Func<Task<T>> call, string action, string name)
    {
        try
        {
            return await call();
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            throw new ReplicaFileNotFoundException($"gs://{Location.Bucket}/{name}: not found");
        }
        catch (GoogleApiException e)
        {
            throw new StorageException($"gs {action} gs://{Location.Bucket}/{name}: {(int)e.HttpStatusCode}: {e.Error?.Message ?? e.Message.Split('\n', 2)[0]}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            throw new StorageException($"gs {action} gs://{Location.Bucket}/{name}: {e.Message}");
        }
    }
}
