using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace LitestreamActors.Storage.Replica.S3;

/// <summary>
/// One file uploaded in parts of <see cref="S3Location.PartSize"/>, <see cref="S3Location.Concurrency"/> at a time. The
/// object appears only when the upload completes; a failed upload is aborted so no parts are left behind.
/// </summary>
internal sealed class S3MultipartUpload(AmazonS3Client s3, S3ReplicaClient owner, string key)
{
    private readonly S3Location _location = owner.Location;

    public async Task RunAsync(Stream content, long size, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var initiate = new InitiateMultipartUploadRequest { BucketName = _location.Bucket, Key = key };
        foreach (var (name, value) in metadata)
        {
            initiate.Metadata[name] = value;
        }
        S3Requests.Apply(_location, initiate);
        var uploadId = (await owner.Call(() => s3.InitiateMultipartUploadAsync(initiate, cancellationToken), "write", key)).UploadId;
        try
        {
            var start = content.Position;
            var count = (int)((size + _location.PartSize - 1) / _location.PartSize);
            var parts = new PartETag[count];
            using var reading = new SemaphoreSlim(1, 1);
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = _location.Concurrency, CancellationToken = cancellationToken }, async (index, ct) =>
            {
                var length = (int)Math.Min(_location.PartSize, size - (long)index * _location.PartSize);
                var buffer = new byte[length];
                await reading.WaitAsync(ct);
                try
                {
                    content.Position = start + (long)index * _location.PartSize;
                    await content.ReadExactlyAsync(buffer, ct);
                }
                finally
                {
                    reading.Release();
                }
                var part = new UploadPartRequest
                {
                    BucketName = _location.Bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = index + 1,
                    InputStream = new MemoryStream(buffer),
                    UseChunkEncoding = false,
                    DisablePayloadSigning = !_location.SignPayload,
                    MD5Digest = _location.RequireContentMd5 ? Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(buffer)) : null,
                };
                S3Requests.Apply(_location, part);
                var response = await owner.Call(() => s3.UploadPartAsync(part, ct), "write", key);
                parts[index] = new PartETag(index + 1, response.ETag);
            });
            var complete = new CompleteMultipartUploadRequest { BucketName = _location.Bucket, Key = key, UploadId = uploadId, PartETags = [.. parts] };
            await owner.Call(() => s3.CompleteMultipartUploadAsync(complete, cancellationToken), "write", key);
        }
        catch
        {
            try
            {
                await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _location.Bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
            }
            catch (Exception e) when (e is AmazonServiceException or HttpRequestException or IOException)
            {
                // The server is unreachable or refuses: its lifecycle rules clean up; the original failure is what matters.
            }
            throw;
        }
    }
}
