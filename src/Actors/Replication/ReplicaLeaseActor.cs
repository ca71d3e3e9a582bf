using Akka.Actor;
using Akka.Event;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Holds the replica's lease for its parent <see cref="ReplicaActor"/>: acquires it (waiting while another owner holds
/// it, and saying who), renews it at a third of its lifetime, and tells the parent when it is held, lost or not
/// available on this backend. Released on stop, so a clean restart elsewhere need not wait for expiry.
/// </summary>
public sealed class ReplicaLeaseActor : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Renewal = TimeToLive / 3;

    private readonly string _replica;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReplicaLease? _lease;
    private string? _lastFailure;

    public ReplicaLeaseActor(string replica, IReplicaClient client, string owner)
    {
        _replica = replica;
        ReceiveAsync<Acquire>(async _ =>
        {
            try
            {
                if (_lease is null)
                {
                    var support = await client.LeaseAsync(CancellationToken.None);
                    if (support.Store is null)
                    {
                        _log.Info("replica {0}: no lease on {1}: {2}", replica, client.DisplayLocation, support.Unsupported);
                        Context.Parent.Tell(new NotAvailable(support.Unsupported ?? string.Empty));
                        return;
                    }
                    _lease = new ReplicaLease(support.Store, owner, TimeToLive, TimeProvider.System);
                }
                if (await _lease.TryAcquireAsync(CancellationToken.None) is { } holder)
                {
                    var wait = holder.ExpiresAt - DateTimeOffset.UtcNow;
                    _log.Warning("replica {0}: {1} is held by {2} until {3:yyyy-MM-ddTHH:mm:ssZ}; waiting", replica, LeaseRecord.FileName, holder.Owner, holder.ExpiresAt.UtcDateTime);
                    Context.Parent.Tell(new HeldElsewhere(holder.Owner, holder.ExpiresAt));
                    Timers.StartSingleTimer("acquire", new Acquire(), wait < Renewal && wait > TimeSpan.Zero ? wait + TimeSpan.FromSeconds(1) : Renewal);
                    return;
                }
                _log.Info("replica {0}: holding {1} as {2}", replica, LeaseRecord.FileName, owner);
                Timers.StartPeriodicTimer("renew", new Renew(), Renewal);
                Context.Parent.Tell(new Held());
            }
            catch (Exception e)
            {
                // One record per failure: the same reason again is not logged again; the replica shows it meanwhile.
                var reason = Supervision.ErrorMessages.Chain(e);
                if (reason != _lastFailure)
                {
                    _log.Warning("replica {0}: lease: {1}; retrying every 5s", replica, reason);
                    _lastFailure = reason;
                }
                Context.Parent.Tell(new Failed("lease: " + reason));
                Timers.StartSingleTimer("acquire", new Acquire(), TimeSpan.FromSeconds(5));
            }
        });
        ReceiveAsync<Renew>(async _ =>
        {
            try
            {
                if (!await _lease!.RenewAsync(CancellationToken.None))
                {
                    _log.Error("replica {0}: lost {1} to another writer; stopped writing until it is free", replica, LeaseRecord.FileName);
                    Timers.Cancel("renew");
                    Context.Parent.Tell(new Lost());
                    Self.Tell(new Acquire());
                }
            }
            catch (Exception e)
            {
                // The lease outlives a few failed renewals; a takeover after expiry shows at the next successful one.
                _log.Warning("replica {0}: renewing the lease failed: {1}", replica, e.Message);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string replica, IReplicaClient client, string owner) =>
        Akka.Actor.Props.Create(() => new ReplicaLeaseActor(replica, client, owner)).WithDispatcher(Dispatchers.Io);

    /// <summary>Who this process is, as a lease names its owner.</summary>
    public static string ProcessOwner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    protected override void PreStart() => Self.Tell(new Acquire());

    protected override void PostStop()
    {
        try
        {
            _lease?.ReleaseAsync(CancellationToken.None).Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException e)
        {
            _log.Warning("replica {0}: releasing the lease failed: {1}", _replica, e.InnerException?.Message);
        }
    }

    public sealed record Held;

    public sealed record Lost;

    public sealed record HeldElsewhere(string Owner, DateTimeOffset Until);

    public sealed record NotAvailable(string Reason);

    /// <summary>Acquiring failed (it is tried again every 5 s).</summary>
    public sealed record Failed(string Reason);

    private sealed record Acquire;

    private sealed record Renew;
}
