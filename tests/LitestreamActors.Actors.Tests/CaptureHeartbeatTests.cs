using LitestreamActors.Actors.Database;

namespace LitestreamActors.Actors.Tests;

public sealed class CaptureHeartbeatTests
{
    [Fact]
    public void The_last_beat_is_the_one_recorded_last()
    {
        var heartbeat = new CaptureHeartbeat();
        Assert.Null(heartbeat.Last);
        var first = new DateTimeOffset(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);
        heartbeat.Beat(first);
        heartbeat.Beat(first.AddSeconds(1));
        Assert.Equal(first.AddSeconds(1), heartbeat.Last);
    }
}
