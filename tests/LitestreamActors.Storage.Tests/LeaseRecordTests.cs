using System.Text;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Storage.Tests;

public sealed class LeaseRecordTests
{
    private static readonly DateTimeOffset Expiry = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lease_is_written_with_the_field_names_other_nodes_read()
    {
        var full = new LeaseRecord("vm:12:ab", Expiry) { Generation = 7, Node = "akka.tcp://lsa@h:4053", PromotedTo = "n2|/data/app.db" };
        var bare = new LeaseRecord("vm:12:ab", Expiry) { Generation = 1 };

        Assert.Equal(
            """{"owner":"vm:12:ab","expires_at":"2026-12-04T10:00:00+00:00","generation":7,"node":"akka.tcp://lsa@h:4053","promoted_to":"n2|/data/app.db"}""",
            Encoding.UTF8.GetString(full.ToJson()));
        Assert.Equal("""{"owner":"vm:12:ab","expires_at":"2026-12-04T10:00:00+00:00","generation":1}""", Encoding.UTF8.GetString(bare.ToJson()));
        Assert.Equal(full, LeaseRecord.FromJson(full.ToJson()));
        Assert.Equal(bare, LeaseRecord.FromJson(bare.ToJson()));
    }

    [Fact]
    public void A_lease_from_a_newer_node_keeps_what_this_one_knows_and_a_damaged_one_reads_as_none()
    {
        var newer = LeaseRecord.FromJson("""{"owner":"o","expires_at":"2026-12-04T10:00:00Z","generation":3,"holder_kind":"x"}"""u8);

        Assert.Equal(new LeaseRecord("o", Expiry) { Generation = 3 }, newer);
        Assert.Null(LeaseRecord.FromJson("""{"owner":"o","expires_at":"""u8));
        Assert.Null(LeaseRecord.FromJson("not json"u8));
    }
}
