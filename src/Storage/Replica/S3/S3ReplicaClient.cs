using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LitestreamActors.Storage.IO;

namespace LitestreamActors.Storage.Replica.S3;

/// <summary>
/// A replica in S3 or an S3-compatible store, laid out as upstream's: <c>&lt;path&gt;/&lt;level %04x&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c>
/// with user metadata <c>litestream-timestamp</c>. A PUT is atomic, so a file is visible whole or not at all.
/// </summary>
public sealed class S3ReplicaClient : IReplicaClient
{
    private const string TimestampMetadata = "litestream-timestamp";
    private const string GenerationMetadata = "litestream-generation";
    private readonly AmazonS3Client _s3;
    private readonly GenerationStamp _stamp = new();

    public S3ReplicaClient(S3Location location)
    {
        Location = location;
        var config = new AmazonS3Config
        {
            ForcePathStyle = location.ForcePathStyle,
            // Several S3-compatible servers reject the SDK's default checksums and chunked uploads.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (location.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;
            config.AuthenticationRegion = location.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(location.Region ?? "us-east-1");
        }
        // No overall deadline (a large file on a slow link finishes); a connection on which no byte moves for 30 s fails.
        config.Timeout = Timeout.InfiniteTimeSpan;
        config.HttpClientFactory = new StallGuardedHttpClientFactory(location.SkipVerify);
        _s3 = location.AccessKeyId is { Length: > 0 } key && location.SecretAccessKey is { Length: > 0 } secret
            ? new AmazonS3Client(new BasicAWSCredentials(key, secret), config)
            : new AmazonS3Client(config);
    }

    public S3Location Location { get; }

    public string Type => "s3";

    public string DisplayLocation => $"s3://{Location.Bucket}/{Location.Prefix}";

    public async Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken)
    {
        var files = new List<LtxFileInfo>();
        var prefix = Location.LevelPrefix(level);
        foreach (var item in await ListKeysAsync(prefix, cancellationToken))
        {
            if (Ltx.LtxFileName.TryParse(item.Key[prefix.Length..], out var min, out var max))
            {
                files.Add(new LtxFileInfo(level, min, max, item.Size ?? 0, LastModified(item)));
            }
        }
        files.Sort(LtxFileInfo.CompareByTxid);
        return files;
    }

    public async Task<IReadOnlyList<ReplicaObject>> ListObjectsAsync(string prefix, CancellationToken cancellationToken)
    {
        var root = ObjectKeys.Object(Location.Prefix, string.Empty);
        return (await ListKeysAsync(ObjectKeys.Folder(Location.Prefix, prefix), cancellationToken))
            .Select(item => new ReplicaObject(item.Key[root.Length..], item.Size ?? 0, LastModified(item)))
            .ToList();
    }

    public async Task<Stream> OpenObjectAsync(string path, CancellationToken cancellationToken)
    {
        var key = ObjectKeys.Object(Location.Prefix, path);
        var response = await Call(() => _s3.GetObjectAsync(new GetObjectRequest { BucketName = Location.Bucket, Key = key }, cancellationToken), "read", key);
        return new IO.BoundedReadStream(response.ResponseStream, null, response);
    }

    // ListObjects (V1) paged by Marker: every S3-compatible store has it; s3rver's V2 paging breaks on current Node.
    private async Task<List<S3Object>> ListKeysAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsRequest { BucketName = Location.Bucket, Prefix = prefix };
        bool truncated;
        do
        {
            var response = await Call(() => _s3.ListObjectsAsync(request, cancellationToken), "list", request.Prefix);
            objects.AddRange(response.S3Objects ?? []);
            truncated = response.IsTruncated == true && response.S3Objects is { Count: > 0 };
            if (truncated)
            {
                request.Marker = response.S3Objects![^1].Key;
            }
        }
        while (truncated);
        return objects;
    }

    private static DateTimeOffset LastModified(S3Object item) => new DateTimeOffset(item.LastModified ?? DateTime.UnixEpoch, TimeSpan.Zero).ToUniversalTime();

    public async Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken)
    {
        var key = Location.Key(level, minTxid, maxTxid);
        var request = new GetObjectRequest { BucketName = Location.Bucket, Key = key };
        if (Location.SseCustomerKey is { } customerKey)
        {
            request.ServerSideEncryptionCustomerMethod = new ServerSideEncryptionCustomerMethod(Location.SseCustomerAlgorithm);
            request.ServerSideEncryptionCustomerProvidedKey = customerKey;
        }
        if (offset > 0 || length is not null)
        {
            request.ByteRange = length is { } n ? new ByteRange(offset, offset + n - 1) : new ByteRange($"bytes={offset}-");
        }
        var response = await Call(() => _s3.GetObjectAsync(request, cancellationToken), "read", key);
        return new IO.BoundedReadStream(response.ResponseStream, null, response);
    }

    public async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var key = Location.Key(level, minTxid, maxTxid);
        if (!content.CanSeek)
        {
            var copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            content = copy;
        }
        var size = content.Length - content.Position;
        if (size > Location.PartSize)
        {
            await new S3MultipartUpload(_s3, this, key).RunAsync(content, size, FileMetadata(createdAt), cancellationToken);
            return new LtxFileInfo(level, minTxid, maxTxid, size, createdAt);
        }
        var request = new PutObjectRequest
        {
            BucketName = Location.Bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            UseChunkEncoding = false,
            DisablePayloadSigning = !Location.SignPayload,
        };
        foreach (var (name, value) in FileMetadata(createdAt))
        {
            request.Metadata[name] = value;
        }
        S3Requests.Apply(Location, request);
        if (Location.RequireContentMd5)
        {
            // A server must refuse a body cut short, never store it.
            var start = content.Position;
            request.MD5Digest = Convert.ToBase64String(await System.Security.Cryptography.MD5.HashDataAsync(content, cancellationToken));
            content.Position = start;
        }
        await Call(() => _s3.PutObjectAsync(request, cancellationToken), "write", key);
        return new LtxFileInfo(level, minTxid, maxTxid, size, createdAt);
    }

    public void StampGeneration(long generation) => _stamp.Set(generation);

    private Dictionary<string, string> FileMetadata(DateTimeOffset createdAt) => _stamp.Metadata(TimestampMetadata, GenerationMetadata, createdAt);

    /// <summary>The listing with each file's time read from its <c>litestream-timestamp</c> metadata, not LastModified.</summary>
    public async Task<IReadOnlyList<LtxFileInfo>> ListWithTimestampsAsync(int level, CancellationToken cancellationToken)
    {
        var files = await ListAsync(level, cancellationToken);
        var exact = new LtxFileInfo[files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var file = files[i];
            var key = Location.Key(file.Level, file.MinTxid, file.MaxTxid);
            var request = new GetObjectMetadataRequest { BucketName = Location.Bucket, Key = key };
            if (Location.SseCustomerKey is { } customerKey)
            {
                request.ServerSideEncryptionCustomerMethod = new ServerSideEncryptionCustomerMethod(Location.SseCustomerAlgorithm);
                request.ServerSideEncryptionCustomerProvidedKey = customerKey;
            }
            var head = await Call(() => _s3.GetObjectMetadataAsync(request, ct), "read", key);
            exact[i] = ReplicaTimestamp.TryParse(head.Metadata[TimestampMetadata], out var at) ? file with { CreatedAt = at } : file;
        });
        return exact;
    }

    public async Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        foreach (var batch in files.Chunk(1000))
        {
            var request = new DeleteObjectsRequest
            {
                BucketName = Location.Bucket,
                Objects = batch.Select(f => new KeyVersion { Key = Location.Key(f.Level, f.MinTxid, f.MaxTxid) }).ToList(),
            };
            await Call(() => _s3.DeleteObjectsAsync(request, cancellationToken), "delete", Location.Prefix);
        }
    }

    public async Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken)
    {
        var store = new S3LeaseStore(_s3, this);
        return await Call(() => store.ServerHonoursPreconditionsAsync(cancellationToken), "lease", Lease.LeaseRecord.FileName)
            ? new Lease.LeaseSupport(store, null)
            : Lease.LeaseSupport.None("the S3 server ignores If-None-Match on PUT, so two writers cannot be kept apart");
    }

    public ValueTask DisposeAsync()
    {
        _s3.Dispose();
        return ValueTask.CompletedTask;
    }

    // S3 errors become one line naming the object and the cause; credentials never appear in them.
    internal async Task<T> Call<T>(Func<Task<T>> call, string action, string key)
    {
        try
        {
            return await call();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is "NoSuchKey" or null or "")
        {
            throw new ReplicaFileNotFoundException($"s3://{Location.Bucket}/{key}: not found");
        }
        catch (AmazonS3Exception e)
        {
            throw new StorageException($"s3 {action} s3://{Location.Bucket}/{key}: {e.ErrorCode ?? e.StatusCode.ToString()}: {e.Message}");
        }
        catch (AmazonServiceException e)
        {
            throw new StorageException($"s3 {action} s3://{Location.Bucket}/{key}: {e.Message}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            throw new StorageException($"s3 {action} s3://{Location.Bucket}/{key}: {e.Message}");
        }
    }

    // One connection pool for every S3 replica of the process, as the SDK's own cache kept it; closing a replica's client
    // leaves it open.
    private sealed class StallGuardedHttpClientFactory(bool acceptAnyCertificate) : HttpClientFactory
    {
        private static readonly Lazy<HttpClient> Verifying = new(() => StallGuardedHttp.Client());
        private static readonly Lazy<HttpClient> AcceptingAnyCertificate = new(() => StallGuardedHttp.Client(acceptAnyCertificate: true));

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => (acceptAnyCertificate ? AcceptingAnyCertificate : Verifying).Value;

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    }
}
