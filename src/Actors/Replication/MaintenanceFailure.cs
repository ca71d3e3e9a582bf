using Akka.Event;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// How compaction, snapshots and retention report a failed run. A write the lease's fence refused is not a failure of
/// the run: the lease was let go (shutdown, hand-over) or lost, and the lease actor has said so already.
/// </summary>
public static class MaintenanceFailure
{
    public static void Log(ILoggingAdapter log, string replica, string what, Exception e, string then)
    {
        if (e is LeaseExpiredException)
        {
            log.Info("replica {0}: {1} stopped: {2}", replica, what, e.Message);
            return;
        }
        log.Warning("replica {0}: {1} failed: {2}{3}", replica, what, e.Message, then);
    }
}
