using System.Globalization;
using LitestreamActors.Storage.Replica.Lease;
using NATS.Client.KeyValueStore;

namespace LitestreamActors.Storage.Replica.Nats;

/// <summary>
/// The replica's lease as one key (the object-store bucket's name) in the JetStream key-value bucket
/// <c>litestream-leases</c>, written by create (must not exist) and by update on the last revision.
/// </summary>
internal sealed class NatsLeaseStore(INatsKVStore leases, string key) : IReplicaLeaseStore
{
    public const string Bucket = "litestream-leases";

    public async Task<LeaseState?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var entry = await leases.GetEntryAsync<byte[]>(key, cancellationToken: cancellationToken);
            return entry.Value is { } value && LeaseRecord.FromJson(value) is { } record
                ? new LeaseState(record, entry.Revision.ToString(CultureInfo.InvariantCulture))
                : null;
        }
        catch (NatsKVKeyNotFoundException)
        {
            return null;
        }
        catch (NatsKVKeyDeletedException)
        {
            return null;
        }
    }

    public async Task<string?> TryCreateAsync(LeaseRecord record, CancellationToken cancellationToken)
    {
        try
        {
            return (await leases.CreateAsync(key, record.ToJson(), cancellationToken: cancellationToken)).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is NatsKVCreateException or NatsKVWrongLastRevisionException)
        {
            return null;
        }
    }

    public async Task<string?> TryReplaceAsync(LeaseRecord record, string version, CancellationToken cancellationToken)
    {
        try
        {
            return (await leases.UpdateAsync(key, record.ToJson(), ulong.Parse(version, CultureInfo.InvariantCulture), cancellationToken: cancellationToken))
                .ToString(CultureInfo.InvariantCulture);
        }
        catch (NatsKVWrongLastRevisionException)
        {
            return null;
        }
    }
}
