using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using LitestreamActors.Storage.Replica.Lease;
using LeaseState = LitestreamActors.Storage.Replica.Lease.LeaseState;

namespace LitestreamActors.Storage.Replica.Azure;

/// <summary>The replica's <c>lock.json</c> blob, written with If-None-Match: * and If-Match on its ETag.</summary>
internal sealed class AbsLeaseStore(BlobClient blob) : IReplicaLeaseStore
{
    public async Task<LeaseState?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return LeaseRecord.FromJson(content.Value.Content.ToMemory().Span) is { } record ? new LeaseState(record, content.Value.Details.ETag.ToString()) : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public Task<string?> TryCreateAsync(LeaseRecord record, CancellationToken cancellationToken) =>
        Write(record, new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken);

    public Task<string?> TryReplaceAsync(LeaseRecord record, string version, CancellationToken cancellationToken) =>
        Write(record, new BlobRequestConditions { IfMatch = new ETag(version) }, cancellationToken);

    private async Task<string?> Write(LeaseRecord record, BlobRequestConditions conditions, CancellationToken cancellationToken)
    {
        try
        {
            var response = await blob.UploadAsync(new BinaryData(record.ToJson()), new BlobUploadOptions { Conditions = conditions }, cancellationToken);
            return response.Value.ETag.ToString();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }
}
