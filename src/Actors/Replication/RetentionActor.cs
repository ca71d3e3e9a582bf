using Akka.Actor;
using Akka.Event;
using LitestreamActors.Storage.Compaction;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Every <c>l0-retention-check-interval</c>, removes a replica's L0 files once level 1 covers them and they are older
/// than <c>l0-retention</c>, and the files of each level with a <c>retention</c> once the next level or a snapshot
/// covers them; the snapshot retention runs after each snapshot (<see cref="SnapshotActor"/>).
/// </summary>
public sealed class RetentionActor : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _checkInterval;

    public RetentionActor(string replica, IReadOnlyList<LevelRetention> levels, TimeSpan checkInterval, RetentionEnforcer enforcer, LevelCompactor compactor)
    {
        _checkInterval = checkInterval;
        var log = Context.GetLogger();
        // An idle replica costs no listing: a level is checked only when a higher level moved or a covered file came of age.
        var checkedThrough = new ulong[levels.Count];
        var due = levels.Select(_ => (DateTimeOffset?)DateTimeOffset.MinValue).ToArray();
        ReceiveAsync<Check>(async _ =>
        {
            for (var i = 0; i < levels.Count; i++)
            {
                var level = levels[i];
                // Any higher level moving may cover more or add an end to delete through.
                var covering = level.HigherLevels.Union(level.CoveringLevels).Aggregate(0UL, (sum, l) => sum + compactor.Known(l));
                if (covering == checkedThrough[i] && (due[i] is null || due[i] > DateTimeOffset.UtcNow))
                {
                    continue;
                }
                try
                {
                    (var deleted, due[i]) = await enforcer.EnforceLevelRetentionAsync(
                        level.Level, level.Retention, level.CoveringLevels, level.HigherLevels, CancellationToken.None);
                    checkedThrough[i] = covering;
                    if (deleted.Count > 0)
                    {
                        log.Info("retention replica={0} level={1} deleted={2} through={3:x16}", replica, level.Level, deleted.Count, deleted[^1].MaxTxid);
                    }
                }
                catch (Exception e) when (e is Storage.StorageException or IOException)
                {
                    MaintenanceFailure.Log(log, replica, $"retention of level {level.Level}", e, string.Empty);
                }
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string replica, IReadOnlyList<LevelRetention> levels, TimeSpan checkInterval, RetentionEnforcer enforcer, LevelCompactor compactor) =>
        Akka.Actor.Props.Create(() => new RetentionActor(replica, levels, checkInterval, enforcer, compactor)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart() => Timers.StartPeriodicTimer("check", new Check(), _checkInterval);

    /// <summary>
    /// A level whose files go once older than <paramref name="Retention"/> and covered by one of
    /// <paramref name="CoveringLevels"/>, through the end of a file at one of <paramref name="HigherLevels"/>.
    /// </summary>
    public sealed record LevelRetention(int Level, TimeSpan Retention, IReadOnlyList<int> CoveringLevels, IReadOnlyList<int> HigherLevels);

    private sealed record Check;
}
