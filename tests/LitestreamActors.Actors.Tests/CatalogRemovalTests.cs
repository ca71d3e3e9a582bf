using System.Text.Json;
using LitestreamActors.Actors.Cluster;

namespace LitestreamActors.Actors.Tests;

public sealed class CatalogRemovalTests
{
    private const string A = "akka.tcp://litestream@10.0.0.1:4053";
    private const string B = "akka.tcp://litestream@10.0.0.1:40530";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void The_removed_incarnations_entry_and_rows_go_and_no_other_nodes()
    {
        var entries = Entries(NodeEntry(A, uid: 7));

        Assert.Equal(["@node|" + A, A + "|/data/app.db|s3"], CatalogRemoval.KeysOf(entries, A, 7).Order());
    }

    [Fact]
    public void Rows_written_by_a_newer_incarnation_at_the_same_address_stay()
    {
        var entries = Entries(NodeEntry(A, uid: 8));

        Assert.Empty(CatalogRemoval.KeysOf(entries, A, 7));
    }

    [Fact]
    public void A_node_entry_that_names_no_incarnation_is_taken_as_the_removed_ones()
    {
        var entries = Entries(JsonSerializer.Serialize(new { address = A, startedAt = DateTimeOffset.UnixEpoch }, Json));

        Assert.Equal(["@node|" + A, A + "|/data/app.db|s3"], CatalogRemoval.KeysOf(entries, A, 7).Order());
    }

    private static string NodeEntry(string node, long uid) => JsonSerializer.Serialize(new CatalogActor.NodeRow(node, DateTimeOffset.UnixEpoch, uid), Json);

    private static Dictionary<string, string> Entries(string nodeEntryOfA) => new(StringComparer.Ordinal)
    {
        ["@node|" + A] = nodeEntryOfA,
        [A + "|/data/app.db|s3"] = "{}",
        ["@node|" + B] = NodeEntry(B, uid: 9),
        [B + "|/data/app.db|s3"] = "{}",
    };
}
