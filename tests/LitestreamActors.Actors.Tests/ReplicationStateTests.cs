using LitestreamActors.Actors.Database;

namespace LitestreamActors.Actors.Tests;

/// <summary>The decisions that keep or delete local L0 files, and lag, as plain state transitions.</summary>
public sealed class ReplicationStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_slowest_replica_holds_local_files_back()
    {
        var state = Captured(Two(), 1, 10);
        (state, var effects) = state.Reported("a", 10, 10, 0, T0);
        Assert.Empty(effects.OfType<ReplicationEffect.Prune>());
        (state, effects) = state.Reported("b", 4, 4, 0, T0);
        Assert.Equal(new ReplicationEffect.Prune(4), Assert.Single(effects.OfType<ReplicationEffect.Prune>()));
        Assert.Equal(4UL, state.Replicated);
        (_, effects) = state.Reported("b", 10, 10, 0, T0.AddSeconds(1));
        Assert.Equal(new ReplicationEffect.Prune(10), Assert.Single(effects.OfType<ReplicationEffect.Prune>()));
    }

    [Fact]
    public void Files_level_1_still_merges_from_stay_unless_the_budget_is_exceeded()
    {
        var state = Captured(Two(), 1, 10);
        (state, _) = state.Reported("a", 10, 6, 0, T0);
        (_, var effects) = state.Reported("b", 10, 8, 0, T0);
        Assert.Equal(new ReplicationEffect.Prune(6), effects.OfType<ReplicationEffect.Prune>().Single());
    }

    [Fact]
    public void Over_the_budget_the_replica_holding_back_too_much_lets_go_and_goes_on_from_a_full_file()
    {
        var state = Captured(Two(maxBytes: 1000), 1, 10) with { LocalFiles = [.. Enumerable.Range(3, 8).Select(t => ((ulong)t, 200L))] };
        (state, _) = state.Reported("a", 10, 10, 0, T0);
        (state, var effects) = state.Reported("b", 2, 2, 0, T0);
        Assert.Contains(new ReplicationEffect.Resync("b", 11), effects);
        Assert.Contains(new ReplicationEffect.ContinueAfter(10, CaptureNow: true), effects);
        Assert.Single(effects.OfType<ReplicationEffect.Warn>(), w => w.Message.Contains("over max-local-ltx-bytes", StringComparison.Ordinal));
        // The files b needed go (everything a holds), but never the full file b goes on from.
        Assert.Equal(new ReplicationEffect.Prune(10), effects.OfType<ReplicationEffect.Prune>().Single());
        Assert.Equal(11UL, state.Replicas["b"].ResyncFrom);

        // The full file alone may exceed the budget: b is not dropped again while it catches up from it.
        state = state.Captured(11, T0.AddSeconds(1)) with { LocalFiles = [(11, 5000)] };
        (state, effects) = state.Reported("a", 11, 11, 0, T0.AddSeconds(2));
        Assert.DoesNotContain(effects, e => e is ReplicationEffect.Resync);
        Assert.Equal(new ReplicationEffect.Prune(10), effects.OfType<ReplicationEffect.Prune>().Single());
        (state, _) = state.Reported("b", 11, 11, 0, T0.AddSeconds(3));
        Assert.Null(state.Replicas["b"].ResyncFrom);
    }

    [Fact]
    public void A_replica_added_late_whose_next_file_is_gone_goes_on_from_a_full_file()
    {
        var state = Captured(new ReplicationState(1 << 20).WithReplica("late"), 1, 10);
        (state, _) = state.Reported("late", 0, 0, 0, T0);
        (state, var effects) = state.Listed([(9, 100), (10, 100)]);
        Assert.Contains(new ReplicationEffect.Resync("late", 11), effects);
        Assert.Contains(new ReplicationEffect.ContinueAfter(10, CaptureNow: true), effects);
        // Once it goes on from the full file, listing again asks nothing more of it.
        (_, effects) = state.Listed([(10, 100)]);
        Assert.Empty(effects);
    }

    [Fact]
    public void A_replica_that_has_its_next_file_waits_for_it()
    {
        var state = Captured(new ReplicationState(1 << 20).WithReplica("a"), 1, 10);
        (state, _) = state.Reported("a", 8, 8, 0, T0);
        Assert.Empty(state.Listed([(9, 100), (10, 100)]).Item2);
    }

    [Fact]
    public void A_removed_replica_holds_nothing_back()
    {
        var state = Captured(Two(), 1, 10);
        (state, _) = state.Reported("a", 10, 10, 0, T0);
        Assert.Equal(0UL, state.Replicated);
        (state, var effects) = state.WithoutReplica("b");
        Assert.Equal(new ReplicationEffect.Prune(10), Assert.Single(effects));
        Assert.Equal(10UL, state.Replicated);
    }

    [Fact]
    public void A_replica_ahead_of_absent_local_state_makes_the_capture_go_on_after_it_at_once()
    {
        var state = new ReplicationState(1 << 20).WithReplica("a").Opened(0);
        var (next, effects) = state.Reported("a", 40, 40, newestLocalFile: 0, T0);
        Assert.Equal(40UL, next.Txid);
        Assert.Contains(new ReplicationEffect.ContinueAfter(40, CaptureNow: true), effects);
        // Once open, a local file the state has not heard of is a new lineage's capture under way: it does not count.
        Assert.Contains(state.Reported("a", 40, 40, newestLocalFile: 40, T0).Item2, e => e is ReplicationEffect.ContinueAfter);
        // Before the capture opens, local files up to the replica's TXID mean local state holds it.
        var unopened = new ReplicationState(1 << 20).WithReplica("a");
        Assert.DoesNotContain(unopened.Reported("a", 40, 40, newestLocalFile: 40, T0).Item2, e => e is ReplicationEffect.ContinueAfter);
    }

    [Fact]
    public void A_fresh_capture_listed_late_sends_the_replica_on_from_a_full_file_even_at_its_own_txid()
    {
        // Local state created afresh wrote TXID 1 before the replica, holding another lineage's TXID 1, was listed.
        var fresh = new ReplicationState(1 << 20).WithReplica("a").Opened(0, fresh: true).Captured(1, T0);
        var (next, effects) = fresh.Reported("a", 1, 1, newestLocalFile: 1, T0);
        Assert.Contains(new ReplicationEffect.Resync("a", 2), effects);
        Assert.Contains(new ReplicationEffect.ContinueAfter(1, CaptureNow: true), effects);
        // Its later reports are its own uploads.
        Assert.DoesNotContain(next.Reported("a", 2, 2, newestLocalFile: 2, T0).Item2, e => e is ReplicationEffect.Resync);
        // A capture that opened on local state of its own holds what the replica holds at the same TXID.
        var restarted = new ReplicationState(1 << 20).WithReplica("a").Opened(1).Captured(1, T0);
        Assert.DoesNotContain(restarted.Reported("a", 1, 1, newestLocalFile: 1, T0).Item2, e => e is ReplicationEffect.Resync or ReplicationEffect.ContinueAfter);
    }

    [Fact]
    public void Lag_is_the_age_of_the_oldest_commit_a_replica_lacks()
    {
        var state = new ReplicationState(1 << 20).WithReplica("a")
            .Captured(1, T0).Captured(2, T0.AddSeconds(5)).Captured(3, T0.AddSeconds(8));
        // Pending files: the oldest the replica lacks (TXID 2) was captured 5 s after T0.
        Assert.Equal(TimeSpan.FromSeconds(7), state.Lag(1, T0.AddSeconds(12)));
        // Nothing pending: no lag, however old the last commit.
        Assert.Equal(TimeSpan.Zero, state.Lag(3, T0.AddHours(1)));
        // Not yet listed: unknown.
        Assert.Null(state.Lag(null, T0));
        // Once every replica holds a TXID its capture time is forgotten.
        (state, _) = state.Reported("a", 2, 2, 0, T0.AddSeconds(9));
        Assert.Equal([3UL], state.CapturedAt.Keys);
    }

    [Fact]
    public void A_replica_of_another_lineage_goes_on_from_a_full_file_after_both_and_holds_no_file_back()
    {
        var state = Captured(Two(), 1, 3);
        (state, _) = state.Reported("a", 3, 3, 0, T0);
        (state, _) = state.Reported("b", 5, 5, 3, T0);
        (state, var effects) = state.Diverged("b", 5);
        Assert.Equal(5UL, state.Txid);
        Assert.Equal(new ReplicationEffect.Resync("b", 6), Assert.Single(effects.OfType<ReplicationEffect.Resync>()));
        Assert.Equal(new ReplicationEffect.ContinueAfter(5, CaptureNow: true), Assert.Single(effects.OfType<ReplicationEffect.ContinueAfter>()));
        // A capture already under way when the full file was asked for does not take the TXID back.
        state = state.Captured(4, T0);
        Assert.Equal(5UL, state.Txid);
    }

    private static ReplicationState Two(long maxBytes = 1 << 30) => new ReplicationState(maxBytes).WithReplica("a").WithReplica("b");

    private static ReplicationState Captured(ReplicationState state, ulong from, ulong to)
    {
        for (var txid = from; txid <= to; txid++)
        {
            state = state.Captured(txid, T0);
        }
        return state;
    }
}
