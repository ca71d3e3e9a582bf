using Azure;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace LitestreamActors.Storage.Replica.Azure;

/// <summary>
/// A replica in Azure Blob Storage, laid out as upstream's: <c>&lt;path&gt;/ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c> with blob
/// metadata <c>litestreamtimestamp</c>. A block blob upload commits whole, so a file is visible whole or not at all.
/// </summary>
public sealed class AbsReplicaClient : IReplicaClient
{
    private const string GenerationMetadata = "litestreamgeneration";
    private const string TimestampMetadata = "litestreamtimestamp";
    private readonly BlobContainerClient _container;
    private readonly GenerationStamp _stamp = new();
    private volatile bool _containerKnown;

    public AbsReplicaClient(AbsLocation location)
    {
        Location = location;
        var options = new BlobClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        var service = location switch
        {
            { ConnectionString: { } cs } => new BlobServiceClient(cs, options),
            { SasToken: { Length: > 0 } sas } => new BlobServiceClient(location.ServiceUri, new AzureSasCredential(sas), options),
            { AccountKey: { Length: > 0 } key } => new BlobServiceClient(
                location.ServiceUri, new StorageSharedKeyCredential(location.AccountName, key), options),
            _ => new BlobServiceClient(location.ServiceUri, new DefaultAzureCredential(), options),
        };
        _container = service.GetBlobContainerClient(location.Container);
    }

    public AbsLocation Location { get; }

    public string Type => "abs";

    public string DisplayLocation => $"abs://{Location.AccountName}@{Location.Container}/{Location.Prefix}";

    public async Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken)
    {
        var prefix = Location.LevelPrefix(level);
        var files = new List<LtxFileInfo>();
        await Call(async () =>
        {
            if (!_containerKnown && !await _container.ExistsAsync(cancellationToken))
            {
                return 0;
            }
            _containerKnown = true;
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, prefix, cancellationToken))
            {
                if (Ltx.LtxFileName.TryParse(item.Name[prefix.Length..], out var min, out var max))
                {
                    files.Add(new LtxFileInfo(level, min, max, item.Properties.ContentLength ?? 0, CreatedAt(item)));
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
        var objects = new List<ReplicaObject>();
        await Call(async () =>
        {
            if (!_containerKnown && !await _container.ExistsAsync(cancellationToken))
            {
                return 0;
            }
            await foreach (var item in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, full, cancellationToken))
            {
                objects.Add(new ReplicaObject(item.Name[root.Length..], item.Properties.ContentLength ?? 0, item.Properties.LastModified ?? DateTimeOffset.UnixEpoch));
            }
            return 0;
        }, "list", full);
        return objects;
    }

    public async Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken)
    {
        var name = ObjectKeys.Object(Location.Prefix, path);
        var response = await Call(() => _container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken), "read", name);
        return response.Value.Content;
    }

    public async Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken)
    {
        var name = Location.BlobName(level, minTxid, maxTxid);
        var response = await Call(
            () => _container.GetBlobClient(name).DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, length) }, cancellationToken),
            "read",
            name);
        return response.Value.Content;
    }

    public void StampGeneration(long generation) => _stamp.Set(generation);

    public async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var name = Location.BlobName(level, minTxid, maxTxid);
        var size = content.CanSeek ? content.Length - content.Position : 0;
        var options = new BlobUploadOptions
        {
            Metadata = _stamp.Metadata(TimestampMetadata, GenerationMetadata, createdAt),
            TransferOptions = new StorageTransferOptions { MaximumConcurrency = 4, InitialTransferSize = 8 << 20, MaximumTransferSize = 8 << 20 },
        };
        await Call(async () =>
        {
            if (!_containerKnown)
            {
                // A missing container is created, as a missing folder or NATS bucket is; a SAS scoped to one container cannot.
                await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
                _containerKnown = true;
            }
            return await _container.GetBlobClient(name).UploadAsync(content, options, cancellationToken);
        }, "write", name);
        return new LtxFileInfo(level, minTxid, maxTxid, size, createdAt);
    }

    public async Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var name = Location.BlobName(file.Level, file.MinTxid, file.MaxTxid);
            await Call(() => _container.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken), "delete", name);
        }
    }

    public async Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken)
    {
        await Call(() => _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken), "lease", Lease.LeaseRecord.FileName);
        _containerKnown = true;
        var name = ObjectKeys.Object(Location.Prefix, Lease.LeaseRecord.FileName);
        return new Lease.LeaseSupport(new AbsLeaseStore(_container.GetBlobClient(name)), null);
    }

    private static DateTimeOffset CreatedAt(BlobItem item) =>
        item.Metadata is { } metadata && metadata.TryGetValue(TimestampMetadata, out var text) && ReplicaTimestamp.TryParse(text, out var at)
            ? at
            : item.Properties.LastModified ?? DateTimeOffset.UnixEpoch;

    // Azure's messages run to many lines of status and headers; one line naming the blob and the error code is kept.
    private async Task<T> Call<T>(Func<Task<T>> call, string action, string name)
    {
        try
        {
            return await call();
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode is "BlobNotFound" or "ContainerNotFound" or null)
        {
            throw new ReplicaFileNotFoundException($"{DisplayLocation}: {name}: not found");
        }
        catch (RequestFailedException e)
        {
            throw new StorageException($"abs {action} {Location.Container}/{name}: {e.ErrorCode ?? e.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is AggregateException or HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            // The SDK's retries gave up: an AggregateException of each attempt's failure; the last one says why.
            var last = e is AggregateException all ? all.InnerExceptions[^1] : e;
            throw new StorageException($"abs {action} {Location.Container}/{name}: {FirstLine(last.Message)}");
        }
        catch (AuthenticationFailedException e)
        {
            throw new StorageException($"abs {action} {Location.Container}/{name}: no usable Azure credential: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    // The SDK shares its HTTP pipeline between clients: nothing of ours to release.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
