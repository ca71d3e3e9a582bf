using LitestreamActors.Actors.Database;

namespace LitestreamActors.Actors.Tests;

public sealed class CapturePacingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void The_first_change_and_one_after_a_quiet_interval_are_captured_at_once()
    {
        var pacing = new CapturePacing(Second);
        Assert.Equal(TimeSpan.Zero, pacing.WaitFor(T0));
        Assert.Equal(TimeSpan.Zero, pacing.Wrote(T0).WaitFor(T0 + TimeSpan.FromMilliseconds(1100)));
    }

    [Fact]
    public void Under_load_a_change_waits_for_one_interval_after_the_last_capture_that_wrote()
    {
        var pacing = new CapturePacing(Second).Wrote(T0);
        Assert.Equal(TimeSpan.FromMilliseconds(700), pacing.WaitFor(T0 + TimeSpan.FromMilliseconds(300)));
        Assert.Equal(TimeSpan.Zero, pacing.WaitFor(T0 + Second));
    }

    [Fact]
    public void A_capture_the_watcher_asked_for_that_found_nothing_looks_again_sooner_then_later_then_stops()
    {
        var pacing = new CapturePacing(Second).Changed();
        var delays = new List<TimeSpan>();
        while (pacing.FoundNothing() is (var next, { } delay))
        {
            delays.Add(delay);
            pacing = next;
        }
        Assert.Equal([5, 15, 30, 60, 120, 250], delays.Select(d => (int)d.TotalMilliseconds));
        // A new change, or a capture that wrote, starts over.
        Assert.Equal(TimeSpan.FromMilliseconds(5), pacing.Changed().FoundNothing().Recheck);
        Assert.Equal(TimeSpan.FromMilliseconds(5), pacing.Wrote(T0).FoundNothing().Recheck);
    }
}
