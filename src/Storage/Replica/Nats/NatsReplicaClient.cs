using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.ObjectStore;
using NATS.Client.ObjectStore.Models;
using NATS.Net;

namespace LitestreamActors.Storage.Replica.Nats;

/// <summary>
/// A replica in a NATS JetStream object store, named as upstream's: <c>ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c> in the
/// bucket, with the <c>Litestream-Timestamp</c> header. A bucket that does not exist is created.
/// </summary>
public sealed class NatsReplicaClient(NatsLocation location) : IReplicaClient, IAsyncDisposable
{
    private const string TimestampHeader = "Litestream-Timestamp";
    private readonly SemaphoreSlim _connect = new(1, 1);
    private NatsClient? _client;
    private INatsObjStore? _store;

    public string Type => "nats";

    public string DisplayLocation => $"nats://{location.Server}/{location.Bucket}";

    public async Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken);
        // The client's listing never completes on a bucket that has never held an object; its stream says so first.
        var status = await Call(() => store.GetStatusAsync(cancellationToken).AsTask(), "status");
        if (status.Info.State.Messages == 0)
        {
            return [];
        }
        var prefix = $"ltx/{level}/";
        var files = new List<LtxFileInfo>();
        try
        {
            await foreach (var info in store.ListAsync(cancellationToken: cancellationToken))
            {
                if (info.Name.StartsWith(prefix, StringComparison.Ordinal) && Ltx.LtxFileName.TryParse(info.Name[prefix.Length..], out var min, out var max))
                {
                    files.Add(new LtxFileInfo(level, min, max, (long)info.Size, Timestamp(info)));
                }
            }
        }
        catch (NatsObjException e) when (e.Message.Contains("no objects", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        files.Sort((a, b) => a.MinTxid != b.MinTxid ? a.MinTxid.CompareTo(b.MinTxid) : a.MaxTxid.CompareTo(b.MaxTxid));
        return files;
    }

    public async Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken);
        var name = Name(level, minTxid, maxTxid);
        var buffer = new MemoryStream();
        try
        {
            await store.GetAsync(name, buffer, leaveOpen: true, cancellationToken: cancellationToken);
        }
        catch (NatsObjNotFoundException)
        {
            throw new ReplicaFileNotFoundException($"{name}: not found in nats bucket {location.Bucket}");
        }
        // The object store has no ranged reads; as upstream, a range is cut from the whole object.
        buffer.Position = Math.Min(offset, buffer.Length);
        return length is { } n ? new IO.BoundedReadStream(buffer, n) : buffer;
    }

    public async Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken);
        var meta = new ObjectMetadata
        {
            Name = Name(level, minTxid, maxTxid),
            Headers = new Dictionary<string, string[]>
            {
                [TimestampHeader] = [ReplicaTimestamp.Format(createdAt)],
            },
        };
        var info = await Call(() => store.PutAsync(meta, content, leaveOpen: true, cancellationToken: cancellationToken).AsTask(), meta.Name);
        return new LtxFileInfo(level, minTxid, maxTxid, (long)info.Size, createdAt);
    }

    public async Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken);
        foreach (var file in files)
        {
            try
            {
                await store.DeleteAsync(Name(file.Level, file.MinTxid, file.MaxTxid), cancellationToken);
            }
            catch (NatsObjNotFoundException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        _connect.Dispose();
    }

    private static string Name(int level, ulong minTxid, ulong maxTxid) => $"ltx/{level}/{Ltx.LtxFileName.Format(minTxid, maxTxid)}";

    private static DateTimeOffset Timestamp(ObjectMetadata info) =>
        ReplicaTimestamp.TryParse(info.Headers?.GetValueOrDefault(TimestampHeader)?.FirstOrDefault(), out var time)
            ? time
            : info.MTime;

    private async Task<INatsObjStore> StoreAsync(CancellationToken cancellationToken)
    {
        if (_store is not null)
        {
            return _store;
        }
        await _connect.WaitAsync(cancellationToken);
        try
        {
            if (_store is not null)
            {
                return _store;
            }
            _client ??= new NatsClient(location.Options());
            var objects = _client.CreateJetStreamContext().CreateObjectStoreContext();
            _store = await Call(async () =>
            {
                try
                {
                    return await objects.GetObjectStoreAsync(location.Bucket, cancellationToken);
                }
                catch (NatsJSApiException e) when (e.Error.Code == 404)
                {
                    return await objects.CreateObjectStoreAsync(new NatsObjConfig(location.Bucket) { Storage = NatsObjStorageType.File }, cancellationToken);
                }
            }, location.Bucket);
            return _store;
        }
        finally
        {
            _connect.Release();
        }
    }

    private async Task<T> Call<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (NatsException e) when (e is not NatsObjNotFoundException)
        {
            throw new StorageException($"nats {DisplayLocation} {what}: {e.Message}");
        }
    }
}
