using LitestreamActors.Actors.Replication;

namespace LitestreamActors.Actors.Tests;

/// <summary>sync-interval: rounds at least the interval apart, each taking what was ready when it began.</summary>
public sealed class UploadPacingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private readonly UploadPacing _pacing = new(TimeSpan.FromSeconds(10));

    [Fact]
    public void The_first_change_after_an_idle_spell_goes_at_once()
    {
        var (state, decision) = _pacing.Next(T0, position: 0, ready: 1);
        Assert.Equal(UploadPacing.Decision.Upload, decision);
        Assert.Equal((T0, 1UL), (state.RoundStartedAt!.Value, state.RoundThrough));

        var (_, later) = state.Next(T0.AddSeconds(60), position: 1, ready: 2);
        Assert.Equal(UploadPacing.Decision.Upload, later);
    }

    [Fact]
    public void Files_ready_during_a_round_wait_for_the_next_and_then_go_together()
    {
        var (state, _) = _pacing.Next(T0, position: 0, ready: 1);
        // Files 2 and 3 became ready after the round began: they wait until the interval has passed.
        var (waiting, decision) = state.Next(T0.AddSeconds(1), position: 1, ready: 3);
        Assert.Equal(T0.AddSeconds(10), decision.WaitUntil);
        var (round, due) = waiting.Next(T0.AddSeconds(10), position: 1, ready: 3);
        Assert.Equal(UploadPacing.Decision.Upload, due);
        // The round takes both back to back, even as a fourth file appears.
        var (_, second) = round.Next(T0.AddSeconds(10.5), position: 2, ready: 4);
        Assert.Equal(UploadPacing.Decision.Upload, second);
        var (_, fourth) = round.Next(T0.AddSeconds(11), position: 3, ready: 4);
        Assert.Equal(T0.AddSeconds(20), fourth.WaitUntil);
    }

    [Fact]
    public void A_sync_someone_waits_for_starts_a_round_now()
    {
        var (state, _) = _pacing.Next(T0, position: 0, ready: 1);
        var (hurried, decision) = state.Next(T0.AddSeconds(1), position: 1, ready: 2, hurry: true);
        Assert.Equal(UploadPacing.Decision.Upload, decision);
        Assert.Equal(2UL, hurried.RoundThrough);
    }

    [Fact]
    public void Nothing_ready_is_idle()
    {
        Assert.Equal(UploadPacing.Decision.Idle, _pacing.Next(T0, position: 5, ready: 5).Decision);
    }

    [Fact]
    public void Retries_back_off_from_the_interval()
    {
        Assert.Equal([10, 20, 30, 30], new[] { 1, 2, 3, 9 }.Select(f => _pacing.RetryDelay(f).TotalSeconds));
        var minute = new UploadPacing(TimeSpan.FromMinutes(1));
        Assert.Equal([60, 60], new[] { 1, 4 }.Select(f => minute.RetryDelay(f).TotalSeconds));
        // A short interval still waits a second before the first retry, as upstream's default does.
        Assert.Equal([1, 2, 4], new[] { 1, 2, 3 }.Select(f => new UploadPacing(TimeSpan.FromMilliseconds(100)).RetryDelay(f).TotalSeconds));
    }
}
