using Akka.Actor;
using Akka.Event;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Holds the replica's lease for its parent <see cref="ReplicaActor"/>: acquires it (waiting while another owner holds
/// it, and saying who), renews it at a third of its lifetime, and tells the parent when it is held, lost or not
/// available on this backend. Released on stop, so a clean restart elsewhere need not wait for expiry. The fence it
/// keeps is what the replica's writes check (<see cref="LeaseFence"/>).
/// </summary>
public sealed class ReplicaLeaseActor : ReceiveActor, IWithTimers
{
    private readonly string _replica;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReplicaLease? _lease;
    private string? _lastFailure;
    private string? _lastHolder;

    private static readonly TimeSpan DemotedRecheck = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(20);
    private readonly TimeSpan _firstAttemptAfter;

    public ReplicaLeaseActor(string replica, string target, IReplicaClient client, string owner, string? node, TimeSpan timeToLive, LeaseFence fence, TimeSpan firstAttemptAfter, LeaseClaim claim)
    {
        _firstAttemptAfter = firstAttemptAfter;
        _replica = replica;
        var renewal = timeToLive / 3;
        // A lease held elsewhere is read again at most this far apart: a read is cheap, and a holder that lets go (a
        // clean stop) should not keep this one waiting for a long lifetime's renewal period.
        var poll = renewal < MaxPoll ? renewal : MaxPoll;
        ReceiveAsync<Acquire>(async _ =>
        {
            try
            {
                if (_lease is null)
                {
                    var support = await client.LeaseAsync(CancellationToken.None);
                    if (support.Store is null && node is not null)
                    {
                        // In a cluster the coordinator stands in for the conditional writes this backend lacks (weaker: docs/cluster.md).
                        _log.Warning("replica {0}: no lease on {1} ({2}); using the cluster-wide grant instead", replica, client.DisplayLocation, support.Unsupported);
                        support = new LeaseSupport(new Cluster.ClusterGrantStore(Context.System, target), null);
                    }
                    if (support.Store is null)
                    {
                        _log.Info("replica {0}: no lease on {1}: {2}", replica, client.DisplayLocation, support.Unsupported);
                        fence.OpenWithoutLease();
                        Context.Parent.Tell(new NotAvailable(support.Unsupported ?? string.Empty));
                        return;
                    }
                    _lease = new ReplicaLease(support.Store, owner, node, timeToLive, TimeProvider.System, fence, claim.Database, claim.Claims) { FormerSelf = claim.FormerSelf };
                }
                if (await _lease.TryAcquireAsync(CancellationToken.None) is { } holder)
                {
                    var wait = holder.ExpiresAt - DateTimeOffset.UtcNow;
                    var holderName = holder.Node ?? holder.Owner;
                    if (holderName != _lastHolder)
                    {
                        _lastHolder = holderName;
                        _log.Warning("replica {0}: {1} is held by {2} until {3:yyyy-MM-ddTHH:mm:ssZ} (generation {4}); waiting",
                            replica, LeaseRecord.FileName, holderName, holder.ExpiresAt.UtcDateTime, holder.Generation);
                    }
                    Context.Parent.Tell(new HeldElsewhere(holderName, holder.ExpiresAt));
                    Timers.StartSingleTimer("acquire", new Acquire(), wait < poll && wait > TimeSpan.Zero ? wait + TimeSpan.FromSeconds(1) : poll);
                    return;
                }
                _lastHolder = null;
                _log.Info("replica {0}: holding {1} as {2} generation={3}", replica, LeaseRecord.FileName, node ?? owner, _lease.Generation);
                Timers.StartPeriodicTimer("renew", new Renew(), renewal);
                Context.Parent.Tell(new Held(_lease.Generation));
            }
            catch (ReplicaDemotedException e)
            {
                if (e.Message != _lastFailure)
                {
                    _log.Error("replica {0}: {1}", replica, e.Message);
                    _lastFailure = e.Message;
                }
                Context.Parent.Tell(new Demoted(e.PromotedTo, e.Message));
                Timers.StartSingleTimer("acquire", new Acquire(), DemotedRecheck);
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
        ReceiveAsync<HandOver>(async message =>
        {
            Timers.Cancel("renew");
            var handed = _lease is not null && await _lease.HandOverAsync(message.PromotedTo, CancellationToken.None);
            _log.Info("replica {0}: {1} handed over to the promoted standby {2}: {3}", replica, LeaseRecord.FileName, message.PromotedTo, handed ? "done" : "this node did not hold it");
            Sender.Tell(new HandedOver(handed));
            Context.Parent.Tell(new Lost());
            Self.Tell(new Acquire());
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

    /// <param name="target">The target's normalised URL: its key in the cluster-wide grant.</param>
    /// <param name="firstAttemptAfter">Zero at start; a lifetime after standing down, so the node that took one of this
    /// database's leases gets the others this one lets go.</param>
    public static Props Props(string replica, string target, IReplicaClient client, string owner, string? node, TimeSpan timeToLive, LeaseFence fence, TimeSpan firstAttemptAfter, LeaseClaim claim) =>
        Akka.Actor.Props.Create(() => new ReplicaLeaseActor(replica, target, client, owner, node, timeToLive, fence, firstAttemptAfter, claim)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart()
    {
        if (_firstAttemptAfter > TimeSpan.Zero)
        {
            Timers.StartSingleTimer("acquire", new Acquire(), _firstAttemptAfter);
        }
        else
        {
            Self.Tell(new Acquire());
        }
    }

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

    public sealed record Held(long Generation);

    /// <summary>Let the lease go to a promoted standby (<see cref="PromotedTo"/>, node and path); replies <see cref="HandedOver"/>.</summary>
    public sealed record HandOver(string PromotedTo);

    public sealed record HandedOver(bool Held);

    /// <summary>A standby was promoted to another database (<see cref="PromotedTo"/>); checked again every minute.</summary>
    public sealed record Demoted(string PromotedTo, string Reason);

    /// <summary>
    /// This database as a promotion names it, and whether it is a promoted standby claiming the replica.
    /// <see cref="FormerSelf"/>: the lease owner that held this database's local state lock before this process (a
    /// crashed run of the same node), never waited for.
    /// </summary>
    public sealed record LeaseClaim(string Database, bool Claims, string? FormerSelf = null);

    public sealed record Lost;

    public sealed record HeldElsewhere(string Owner, DateTimeOffset Until);

    public sealed record NotAvailable(string Reason);

    /// <summary>Acquiring failed (it is tried again every 5 s).</summary>
    public sealed record Failed(string Reason);

    private sealed record Acquire;

    private sealed record Renew;
}
