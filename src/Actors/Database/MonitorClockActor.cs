using Akka.Actor;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// One clock for every database's monitor tick on this node: each interval it looks at the files of the databases
/// whose reader left a <see cref="QuietWindow"/>, answers those still quiet itself (heartbeat and sync count) and
/// sends a tick only to the readers that have something to look at. Five hundred idle databases cost a loop of
/// <c>stat</c> calls a second instead of five hundred timers and messages (docs/scale.md, "What an idle database
/// costs"). Runs on the I/O dispatcher: a slow file system stalls this loop, not the default dispatcher.
/// </summary>
public sealed class MonitorClockActor : ReceiveActor, IWithTimers
{
    private readonly Dictionary<TimeSpan, List<MonitorRegistration>> _byInterval = [];

    public MonitorClockActor()
    {
        Receive<Register>(message =>
        {
            var interval = message.Registration.Interval;
            if (!_byInterval.TryGetValue(interval, out var registrations))
            {
                _byInterval[interval] = registrations = [];
                Timers.StartPeriodicTimer(interval, new Tick(interval), interval);
            }
            registrations.Add(message.Registration);
        });
        Receive<Unregister>(message =>
        {
            var interval = message.Registration.Interval;
            if (_byInterval.TryGetValue(interval, out var registrations) && registrations.Remove(message.Registration) && registrations.Count == 0)
            {
                _byInterval.Remove(interval);
                Timers.Cancel(interval);
            }
        });
        Receive<Tick>(tick =>
        {
            if (!_byInterval.TryGetValue(tick.Interval, out var registrations))
            {
                return;
            }
            var now = DateTimeOffset.UtcNow;
            foreach (var registration in registrations)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                QuietWindow? quiet;
                try
                {
                    quiet = registration.Tick(now);
                }
                catch (Exception)
                {
                    // The clock must never restart: its registrations would be lost and every database's ticks with them.
                    // The reader looks at its files itself and reports what is wrong.
                    quiet = null;
                }
                if (quiet is not null)
                {
                    Context.System.EventStream.Publish(Events.SyncObserved.Quiet(registration.Path, started, quiet.Txid));
                }
                else
                {
                    registration.Reader.Tell(WalReaderActor.MonitorTick.Instance);
                }
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new MonitorClockActor()).WithDispatcher(Dispatchers.Io);

    /// <summary>A reader to tick at its interval from now on.</summary>
    public sealed record Register(MonitorRegistration Registration);

    /// <summary>A reader that stopped.</summary>
    public sealed record Unregister(MonitorRegistration Registration);

    private sealed record Tick(TimeSpan Interval);
}
