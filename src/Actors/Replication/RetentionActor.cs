using Akka.Actor;
using Akka.Event;
using LitestreamActors.Storage.Compaction;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Removes a replica's L0 files once level 1 covers them and they are older than <c>l0-retention</c>, every
/// <c>l0-retention-check-interval</c>; the snapshot retention runs after each snapshot (<see cref="SnapshotActor"/>).
/// </summary>
public sealed class RetentionActor : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _checkInterval;

    public RetentionActor(string replica, TimeSpan retention, TimeSpan checkInterval, RetentionEnforcer enforcer, LevelCompactor compactor)
    {
        _checkInterval = checkInterval;
        var log = Context.GetLogger();
        // An idle replica costs no listing: a check lists only when level 1 moved or a covered file has come of age.
        ulong checkedThrough = 0;
        DateTimeOffset? due = DateTimeOffset.MinValue;
        ReceiveAsync<Check>(async _ =>
        {
            var level1 = compactor.Known(1);
            if (level1 == checkedThrough && (due is null || due > DateTimeOffset.UtcNow))
            {
                return;
            }
            try
            {
                (var deleted, due) = await enforcer.EnforceL0RetentionAsync(retention, CancellationToken.None);
                checkedThrough = level1;
                if (deleted.Count > 0)
                {
                    log.Info("retention replica={0} level=0 deleted={1} through={2:x16}", replica, deleted.Count, deleted[^1].MaxTxid);
                }
            }
            catch (Exception e) when (e is Storage.StorageException or IOException)
            {
                log.Warning("replica {0}: L0 retention failed: {1}", replica, e.Message);
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string replica, TimeSpan retention, TimeSpan checkInterval, RetentionEnforcer enforcer, LevelCompactor compactor) =>
        Akka.Actor.Props.Create(() => new RetentionActor(replica, retention, checkInterval, enforcer, compactor)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart() => Timers.StartPeriodicTimer("check", new Check(), _checkInterval);

    private sealed record Check;
}
