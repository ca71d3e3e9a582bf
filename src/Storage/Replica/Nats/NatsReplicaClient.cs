using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using NATS.Client.ObjectStore;
using NATS.Client.ObjectStore.Models;
using NATS.Net;

namespace LitestreamActors.Storage.Replica.Nats;

/// <summary>
/// A replica in a NATS JetStream object store, named as upstream's: <c>ltx/&lt;level&gt;/&lt;min&gt;-&lt;max&gt;.ltx</c> in the
/// bucket, with the <c>Litestream-Timestamp</c> header. A bucket that does not exist is created. The client reconnects
/// on its own; meanwhile operations fail at once (and in-flight ones when the connection drops) so the caller's retry
/// with backoff decides, rather than a put waiting on a reconnect forever.
/// </summary>
public sealed class NatsReplicaClient(NatsLocation location) : IReplicaClient
{
    private const string TimestampHeader = "Litestream-Timestamp";
    private readonly SemaphoreSlim _connect = new(1, 1);
    private NatsClient? _client;
    private INatsObjStore? _store;
    private string? _caBundle;
    private CancellationTokenSource _connectionLost = new();

    public string Type => "nats";

    public string DisplayLocation => $"nats://{location.Server}/{location.Bucket}";

    public Task<IReadOnlyList<LtxFileInfo>> ListAsync(int level, CancellationToken cancellationToken) => Run(async (store, ct) =>
    {
        // The client's listing never completes on a bucket that has never held an object; its stream says so first.
        var status = await store.GetStatusAsync(ct);
        if (status.Info.State.Messages == 0)
        {
            return (IReadOnlyList<LtxFileInfo>)[];
        }
        var prefix = $"ltx/{level}/";
        var files = new List<LtxFileInfo>();
        try
        {
            await foreach (var info in store.ListAsync(cancellationToken: ct))
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
        files.Sort(LtxFileInfo.CompareByTxid);
        return files;
    }, "list", cancellationToken);

    public Task<Stream> OpenAsync(int level, ulong minTxid, ulong maxTxid, long offset, long? length, CancellationToken cancellationToken) => Run(async (store, ct) =>
    {
        var name = Name(level, minTxid, maxTxid);
        var buffer = new MemoryStream();
        try
        {
            await store.GetAsync(name, buffer, leaveOpen: true, cancellationToken: ct);
        }
        catch (NatsObjNotFoundException)
        {
            throw new ReplicaFileNotFoundException($"{name}: not found in nats bucket {location.Bucket}");
        }
        // The object store has no ranged reads; as upstream, a range is cut from the whole object.
        buffer.Position = Math.Min(offset, buffer.Length);
        return length is { } n ? new IO.BoundedReadStream(buffer, n) : (Stream)buffer;
    }, "read", cancellationToken);

    public Task<LtxFileInfo> WriteAsync(int level, ulong minTxid, ulong maxTxid, Stream content, DateTimeOffset createdAt, CancellationToken cancellationToken) => Run(async (store, ct) =>
    {
        var meta = new ObjectMetadata
        {
            Name = Name(level, minTxid, maxTxid),
            Headers = new Dictionary<string, string[]> { [TimestampHeader] = [ReplicaTimestamp.Format(createdAt)] },
        };
        var info = await store.PutAsync(meta, content, leaveOpen: true, cancellationToken: ct);
        return new LtxFileInfo(level, minTxid, maxTxid, (long)info.Size, createdAt);
    }, "write", cancellationToken);

    public Task DeleteAsync(IReadOnlyCollection<LtxFileInfo> files, CancellationToken cancellationToken) => Run(async (store, ct) =>
    {
        foreach (var file in files)
        {
            try
            {
                await store.DeleteAsync(Name(file.Level, file.MinTxid, file.MaxTxid), ct);
            }
            catch (NatsObjNotFoundException)
            {
            }
        }
        return 0;
    }, "delete", cancellationToken);

    public Task<Lease.LeaseSupport> LeaseAsync(CancellationToken cancellationToken) => Run(async (_, ct) =>
    {
        var kv = _client!.CreateJetStreamContext().CreateKeyValueStoreContext();
        var leases = await kv.CreateOrUpdateStoreAsync(new NatsKVConfig(NatsLeaseStore.Bucket) { Storage = NatsKVStorageType.File }, ct);
        return new Lease.LeaseSupport(new NatsLeaseStore(leases, location.Bucket), null);
    }, "lease", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
        if (_caBundle is not null)
        {
            System.IO.File.Delete(_caBundle);
        }
        _connectionLost.Dispose();
        _connect.Dispose();
    }

    private static string Name(int level, ulong minTxid, ulong maxTxid) => $"ltx/{level}/{Ltx.LtxFileName.Format(minTxid, maxTxid)}";

    private static DateTimeOffset Timestamp(ObjectMetadata info) =>
        ReplicaTimestamp.TryParse(info.Headers?.GetValueOrDefault(TimestampHeader)?.FirstOrDefault(), out var time)
            ? time
            : info.MTime;

    private async Task<T> Run<T>(Func<INatsObjStore, CancellationToken, Task<T>> operation, string what, CancellationToken cancellationToken)
    {
        try
        {
            var store = await StoreAsync(cancellationToken);
            // A blip shorter than a couple of reconnect waits is ridden out; a longer outage fails for the caller to retry.
            var patience = DateTime.UtcNow + location.ReconnectWait * 2 + TimeSpan.FromSeconds(1);
            // The client raises its connection events after the state changes, so an open connection can still show the
            // last drop's token for a moment; waiting for both keeps an old drop from failing a new operation.
            while (!(IsOpen && !_connectionLost.IsCancellationRequested) && DateTime.UtcNow < patience)
            {
                await Task.Delay(50, cancellationToken);
            }
            if (!IsOpen)
            {
                throw new StorageException($"nats {what} {DisplayLocation}: not connected (reconnecting)");
            }
            var lost = CurrentConnectionToken();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost);
            try
            {
                return await operation(store, linked.Token);
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new StorageException($"nats {what} {DisplayLocation}: connection lost");
            }
        }
        catch (NatsException e) when (e is not NatsObjNotFoundException)
        {
            throw new StorageException($"nats {what} {DisplayLocation}: {e.Message}");
        }
        catch (TimeoutException e)
        {
            throw new StorageException($"nats {what} {DisplayLocation}: {e.Message}");
        }
    }

    private bool IsOpen => _client!.Connection.ConnectionState == NatsConnectionState.Open;

    /// <summary>
    /// The token the next drop cancels, a fresh one once the last was cancelled. Replaced only by compare-and-swap, here
    /// and on the reopening event alike: two replacements racing would leave an operation holding a token no drop cancels.
    /// </summary>
    private CancellationToken CurrentConnectionToken()
    {
        var current = _connectionLost;
        if (current.IsCancellationRequested)
        {
            Interlocked.CompareExchange(ref _connectionLost, new CancellationTokenSource(), current);
        }
        return _connectionLost.Token;
    }

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
            _client ??= Connect();
            var objects = _client.CreateJetStreamContext().CreateObjectStoreContext();
            try
            {
                _store = await objects.GetObjectStoreAsync(location.Bucket, cancellationToken);
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                _store = await objects.CreateObjectStoreAsync(new NatsObjConfig(location.Bucket) { Storage = NatsObjStorageType.File }, cancellationToken);
            }
            return _store;
        }
        finally
        {
            _connect.Release();
        }
    }

    private NatsClient Connect()
    {
        if (location.RootCas.Count > 0)
        {
            // The client takes one CA file; several root-cas become one bundle.
            _caBundle = Path.Combine(Path.GetTempPath(), $"litestream-nats-ca-{Guid.NewGuid():N}.pem");
            System.IO.File.WriteAllText(_caBundle, string.Join('\n', location.RootCas.Select(System.IO.File.ReadAllText)));
        }
        var client = new NatsClient(location.Options(_caBundle));
        var connection = (NatsConnection)client.Connection;
        connection.ConnectionDisconnected += (_, _) =>
        {
            _connectionLost.Cancel();
            return default;
        };
        connection.ConnectionOpened += (_, _) =>
        {
            CurrentConnectionToken();
            return default;
        };
        return client;
    }
}
