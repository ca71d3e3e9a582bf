using Akka.Actor;
using Akka.Event;
using LitestreamActors.Storage.Compaction;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Writes a level 9 snapshot of one replica every <c>snapshot.interval</c> (UTC boundaries, as compaction), only when
/// the replica holds changes newer than its newest snapshot, then applies the snapshot retention as upstream does.
/// </summary>
public sealed class SnapshotActor : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _interval;

    /// <param name="retention">Null when retention is disabled.</param>
    public SnapshotActor(string databasePath, string replica, TimeSpan interval, TimeSpan? retention, SnapshotCompactor snapshots, RetentionEnforcer enforcer, LevelCompactor levels)
    {
        _interval = interval;
        var log = Context.GetLogger();
        ReceiveAsync<TakeSnapshot>(async _ =>
        {
            try
            {
                if (await snapshots.SnapshotAsync(CancellationToken.None) is { } written)
                {
                    levels.Note(LtxFileInfo.SnapshotLevel, written.MaxTxid);
                    log.Info("snapshot replica={0} txid={1:x16} size={2}", replica, written.MaxTxid, written.Size);
                    Context.System.EventStream.Publish(new Events.SnapshotObserved(databasePath, replica, written.MaxTxid));
                }
                var deleted = retention is { } kept ? await enforcer.EnforceSnapshotRetentionAsync(kept, CancellationToken.None) : [];
                if (deleted.Count > 0)
                {
                    log.Info("retention replica={0} deleted={1} below={2:x16}", replica, deleted.Count, deleted.Where(f => f.Level == 9).Max(f => f.MaxTxid));
                }
            }
            catch (Exception e) when (e is Storage.StorageException or IOException)
            {
                MaintenanceFailure.Log(log, replica, "snapshot", e, "; next attempt at the next boundary");
            }
            ScheduleNext();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string databasePath, string replica, TimeSpan interval, TimeSpan? retention, SnapshotCompactor snapshots, RetentionEnforcer enforcer, LevelCompactor levels) =>
        Akka.Actor.Props.Create(() => new SnapshotActor(databasePath, replica, interval, retention, snapshots, enforcer, levels)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart() => ScheduleNext();

    private void ScheduleNext() => Timers.StartSingleTimer("snapshot", new TakeSnapshot(), WallClock.UntilNextBoundary(_interval));

    private sealed record TakeSnapshot;
}
