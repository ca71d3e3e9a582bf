using System.Globalization;
using System.Net;
using Google;
using Google.Cloud.Storage.V1;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Storage.Replica.Gcs;

/// <summary>The replica's <c>lock.json</c> object, written with generation preconditions (0 = must not exist).</summary>
internal sealed class GcsLeaseStore(StorageClient client, string bucket, string name) : IReplicaLeaseStore
{
    public async Task<LeaseState?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var item = await client.GetObjectAsync(bucket, name, cancellationToken: cancellationToken);
            using var content = new MemoryStream();
            await client.DownloadObjectAsync(bucket, name, content, new DownloadObjectOptions { Generation = item.Generation }, cancellationToken);
            return LeaseRecord.FromJson(content.ToArray()) is { } record
                ? new LeaseState(record, item.Generation!.Value.ToString(CultureInfo.InvariantCulture))
                : null;
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<string?> TryCreateAsync(LeaseRecord record, CancellationToken cancellationToken) => Write(record, 0, cancellationToken);

    public Task<string?> TryReplaceAsync(LeaseRecord record, string version, CancellationToken cancellationToken) =>
        Write(record, long.Parse(version, CultureInfo.InvariantCulture), cancellationToken);

    private async Task<string?> Write(LeaseRecord record, long generation, CancellationToken cancellationToken)
    {
        try
        {
            var written = await client.UploadObjectAsync(
                bucket, name, "application/json", new MemoryStream(record.ToJson()), new UploadObjectOptions { IfGenerationMatch = generation }, cancellationToken);
            return written.Generation!.Value.ToString(CultureInfo.InvariantCulture);
        }
        catch (GoogleApiException e) when (e.HttpStatusCode == HttpStatusCode.PreconditionFailed)
        {
            return null;
        }
    }
}
