using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Storage.Replica.S3;

/// <summary>The replica's <c>lock.json</c> object, written with If-None-Match: * and If-Match on its ETag.</summary>
internal sealed class S3LeaseStore(AmazonS3Client s3, S3ReplicaClient owner) : IReplicaLeaseStore
{
    private string Key => ObjectKeys.Object(owner.Location.Prefix, LeaseRecord.FileName);

    /// <summary>
    /// Whether the server honours If-None-Match on PUT: a probe object is created twice and the second must be refused.
    /// s3rver, for one, accepts both.
    /// </summary>
    public async Task<bool> ServerHonoursPreconditionsAsync(CancellationToken cancellationToken)
    {
        var probe = Key + ".probe-" + Guid.NewGuid().ToString("N");
        try
        {
            return await Put(probe, new LeaseRecord("probe", DateTimeOffset.UnixEpoch), request => request.IfNoneMatch = "*", cancellationToken) is not null
                && await Put(probe, new LeaseRecord("probe", DateTimeOffset.UnixEpoch), request => request.IfNoneMatch = "*", cancellationToken) is null;
        }
        finally
        {
            await owner.Call(() => s3.DeleteObjectAsync(owner.Location.Bucket, probe, cancellationToken), "lease", probe);
        }
    }

    public async Task<LeaseState?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(owner.Location.Bucket, Key, cancellationToken);
            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content, cancellationToken);
            return LeaseRecord.FromJson(content.ToArray()) is { } record ? new LeaseState(record, response.ETag) : null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<string?> TryCreateAsync(LeaseRecord record, CancellationToken cancellationToken) =>
        Put(Key, record, request => request.IfNoneMatch = "*", cancellationToken);

    public Task<string?> TryReplaceAsync(LeaseRecord record, string version, CancellationToken cancellationToken) =>
        Put(Key, record, request => request.IfMatch = version, cancellationToken);

    private async Task<string?> Put(string key, LeaseRecord record, Action<PutObjectRequest> condition, CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest
        {
            BucketName = owner.Location.Bucket,
            Key = key,
            InputStream = new MemoryStream(record.ToJson()),
            UseChunkEncoding = false,
            ContentType = "application/json",
        };
        condition(request);
        try
        {
            return (await s3.PutObjectAsync(request, cancellationToken)).ETag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return null;
        }
    }
}
