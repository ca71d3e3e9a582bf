using Akka.Actor;
using Akka.Event;
using LitestreamActors.Storage.Compaction;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Compacts one level of one replica on wall-clock boundaries of its interval (UTC, truncated as upstream's, so a
/// restart does not compact early). A failure is logged and the next boundary tries again; nothing is lost meanwhile
/// because the level below keeps its files until retention sees them covered.
/// </summary>
public sealed class CompactionActor : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _interval;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public CompactionActor(string replica, int level, TimeSpan interval, LevelCompactor compactor)
    {
        _interval = interval;
        ReceiveAsync<Compact>(async _ =>
        {
            try
            {
                if (await compactor.CompactAsync(level, CancellationToken.None) is { } written)
                {
                    _log.Info("compacted replica={0} level={1} txid={2:x16}-{3:x16} size={4}", replica, level, written.MinTxid, written.MaxTxid, written.Size);
                    Context.Parent.Tell(new Compacted(level, written.MaxTxid));
                }
            }
            catch (Exception e) when (e is Storage.StorageException or IOException)
            {
                MaintenanceFailure.Log(_log, replica, $"compaction of level {level}", e, "; next attempt at the next boundary");
            }
            ScheduleNext();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string replica, int level, TimeSpan interval, LevelCompactor compactor) =>
        Akka.Actor.Props.Create(() => new CompactionActor(replica, level, interval, compactor)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart() => ScheduleNext();

    private void ScheduleNext() => Timers.StartSingleTimer("compact", new Compact(), WallClock.UntilNextBoundary(_interval));

    /// <summary>To the replica actor: a file up to <paramref name="Txid"/> now exists at <paramref name="Level"/>.</summary>
    public sealed record Compacted(int Level, ulong Txid);

    private sealed record Compact;
}
