using Akka.Actor;
using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// A WAL reader as the monitor clock knows it. The reader publishes a <see cref="QuietWindow"/> after a tick that
/// needed nothing; the clock reads it on its thread, so it is swapped whole and taken back atomically.
/// </summary>
public sealed class MonitorRegistration(IActorRef reader, string path, TimeSpan interval, CaptureHeartbeat heartbeat)
{
    private QuietWindow? _window;

    public IActorRef Reader { get; } = reader;

    public string Path { get; } = path;

    /// <summary>How often the database is looked at: its monitor interval (at least a millisecond).</summary>
    public TimeSpan Interval { get; } = interval > TimeSpan.FromMilliseconds(1) ? interval : TimeSpan.FromMilliseconds(1);

    public QuietWindow? Window
    {
        get => Volatile.Read(ref _window);
        set => Volatile.Write(ref _window, value);
    }

    /// <summary>
    /// One tick seen by the clock: the window when it still holds (the heartbeat beaten), else null, with the window
    /// withdrawn so the reader, now told of the tick, decides afresh.
    /// </summary>
    public QuietWindow? Tick(DateTimeOffset now)
    {
        if (Window is not { } window)
        {
            return null;
        }
        if (window.Holds(QuietStamp.Take(Path, now.UtcDateTime), now))
        {
            heartbeat.Beat(now);
            return window;
        }
        Interlocked.CompareExchange(ref _window, null, window);
        return null;
    }
}
