using Akka.Actor;
using LitestreamActors.Actors.Database;
using LitestreamActors.Storage.Capture;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Actors.Tests;

/// <summary>The monitor clock answers a tick itself only while the files carry the reader's quiet stamp and nothing is due.</summary>
public sealed class MonitorRegistrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_quiet_window_holds_until_a_file_moves_then_is_withdrawn()
    {
        var (registration, heartbeat, now) = Quiet(attendIn: TimeSpan.FromHours(1));

        Assert.NotNull(registration.Tick(now));
        Assert.Equal(now, heartbeat.Last);

        File.AppendAllText(_dir.File("app.db-wal"), "more");
        Assert.Null(registration.Tick(now.AddSeconds(1)));
        Assert.Null(registration.Window);
        Assert.Equal(now, heartbeat.Last);
    }

    [Fact]
    public void A_window_ends_when_something_falls_due()
    {
        var (registration, heartbeat, now) = Quiet(attendIn: TimeSpan.FromSeconds(2));

        Assert.NotNull(registration.Tick(now.AddSeconds(1)));
        Assert.Null(registration.Tick(now.AddSeconds(2)));
        Assert.Null(registration.Window);
        Assert.Equal(now.AddSeconds(1), heartbeat.Last);
    }

    [Fact]
    public void Without_a_window_every_tick_goes_to_the_reader()
    {
        var heartbeat = new CaptureHeartbeat();
        var registration = new MonitorRegistration(ActorRefs.Nobody, _dir.File("app.db"), TimeSpan.FromSeconds(1), heartbeat);
        File.WriteAllText(_dir.File("app.db"), "db");

        Assert.Null(registration.Tick(DateTimeOffset.UtcNow));
        Assert.Null(heartbeat.Last);
    }

    [Fact]
    public void A_stamp_not_yet_settled_proves_nothing()
    {
        var path = _dir.File("app.db");
        File.WriteAllText(path, "db");
        var now = DateTimeOffset.UtcNow;
        var window = new QuietWindow(QuietStamp.Take(path, now.UtcDateTime), 1, now.AddHours(1));

        Assert.False(window.Holds(QuietStamp.Take(path, now.UtcDateTime), now));
    }

    public void Dispose() => _dir.Dispose();

    // Both files written, then stamped as a settled quiet stamp would be: taken well after their last change.
    private (MonitorRegistration Registration, CaptureHeartbeat Heartbeat, DateTimeOffset Now) Quiet(TimeSpan attendIn)
    {
        var path = _dir.File("app.db");
        File.WriteAllText(path, "db");
        File.WriteAllText(path + "-wal", "wal");
        var now = DateTimeOffset.UtcNow + QuietStamp.Settle + TimeSpan.FromSeconds(1);
        var heartbeat = new CaptureHeartbeat();
        var registration = new MonitorRegistration(ActorRefs.Nobody, path, TimeSpan.FromSeconds(1), heartbeat)
        {
            Window = new QuietWindow(QuietStamp.Take(path, now.UtcDateTime), 7, now + attendIn),
        };
        return (registration, heartbeat, now);
    }
}
