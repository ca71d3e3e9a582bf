using LitestreamActors.Actors.Replication;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Tests;

/// <summary>Where a replica goes on from at start: held, uploaded again after a cut body, or another lineage.</summary>
public sealed class ResumeDecisionTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly LtxHeader Ours = LtxHeader.Create(4096, 10, 7, 7, At);
    private static readonly LtxFileInfo Newest = new(0, 7, 7, 5000, At);

    [Fact]
    public void An_empty_replica_starts_from_nothing() =>
        Assert.Equal(new ResumeDecision(0, false), ResumeDecision.Decide(null, null, null));

    [Fact]
    public void With_no_local_file_of_its_txid_the_replica_is_held_as_listed()
    {
        Assert.False(ResumeDecision.NeedsReplicaHeader(Newest, localExists: false));
        Assert.Equal(new ResumeDecision(7, false), ResumeDecision.Decide(Newest, null, null));
    }

    [Fact]
    public void The_same_file_is_held()
    {
        Assert.True(ResumeDecision.NeedsReplicaHeader(Newest, localExists: true));
        Assert.Equal(new ResumeDecision(7, false), ResumeDecision.Decide(Newest, (5000, Ours), Ours));
    }

    [Fact]
    public void The_same_header_with_another_size_is_a_cut_body_uploaded_again()
    {
        Assert.Equal(new ResumeDecision(6, false), ResumeDecision.Decide(Newest, (5200, Ours), Ours));
        Assert.Equal(new ResumeDecision(6, false), ResumeDecision.Decide(Newest with { Size = 40 }, (5200, Ours), null));
    }

    [Fact]
    public void Another_header_at_the_same_txid_is_another_lineage_even_at_the_same_size()
    {
        var theirs = Ours with { TimestampMs = Ours.TimestampMs - 1 };
        Assert.Equal(new ResumeDecision(7, true), ResumeDecision.Decide(Newest, (5000, Ours), theirs));
        Assert.Equal(new ResumeDecision(7, true), ResumeDecision.Decide(Newest, (4000, Ours), theirs));
    }

    [Fact]
    public void A_file_spanning_several_txids_is_held_as_listed()
    {
        var merged = Newest with { MinTxid = 1 };
        Assert.False(ResumeDecision.NeedsReplicaHeader(merged, localExists: true));
        Assert.Equal(new ResumeDecision(7, false), ResumeDecision.Decide(merged, (4000, Ours), null));
    }
}
