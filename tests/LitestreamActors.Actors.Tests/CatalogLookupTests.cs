using LitestreamActors.Actors.Cluster;

namespace LitestreamActors.Actors.Tests;

/// <summary>Which node a restore against the cluster asks: the owner of the database named by path or NODE:PATH.</summary>
public sealed class CatalogLookupTests
{
    private const string A = "akka.tcp://litestream@10.0.0.1:4053";
    private const string B = "akka.tcp://litestream@10.0.0.2:4053";
    private const string Path = "/data/app.db";

    [Fact]
    public void The_owner_named_by_a_standby_row_is_found_through_either_node()
    {
        CatalogRow[] rows = [Row(A, "s3", CatalogRow.Running, A), Row(B, "s3", CatalogRow.Standby, A)];
        Assert.Equal(new CatalogTarget(A, Path, null), CatalogLookup.Find(rows, Path, null));
        Assert.Equal(new CatalogTarget(A, Path, "s3"), CatalogLookup.Find(rows, "10.0.0.2:4053:" + Path, "s3"));
        Assert.Equal(new CatalogTarget(A, Path, null), CatalogLookup.Find(rows, B + ":" + Path, null));
    }

    [Fact]
    public void Two_nodes_with_their_own_database_at_one_path_need_the_node_named()
    {
        CatalogRow[] rows = [Row(A, "s3", CatalogRow.Running, A), Row(B, "s3", CatalogRow.Running, B)];
        var ambiguous = Assert.Throws<CatalogLookupException>(() => CatalogLookup.Find(rows, Path, null));
        Assert.False(ambiguous.NotFound);
        Assert.Contains("name one as NODE:PATH", ambiguous.Message, StringComparison.Ordinal);
        Assert.Equal(B, CatalogLookup.Find(rows, "10.0.0.2:4053:" + Path, null).Owner);
    }

    [Fact]
    public void A_missing_database_or_replica_and_a_database_no_one_owns_are_refused()
    {
        CatalogRow[] rows = [Row(A, "s3", CatalogRow.Standby, A), Row(B, "s3", CatalogRow.Standby, B)];
        Assert.True(Assert.Throws<CatalogLookupException>(() => CatalogLookup.Find(rows, "/other.db", null)).NotFound);
        Assert.True(Assert.Throws<CatalogLookupException>(() => CatalogLookup.Find(rows, Path, "gcs")).NotFound);
        Assert.True(Assert.Throws<CatalogLookupException>(() => CatalogLookup.Find(rows, "10.0.0.9:4053:" + Path, null)).NotFound);
        var unowned = Assert.Throws<CatalogLookupException>(() => CatalogLookup.Find(rows, Path, null));
        Assert.False(unowned.NotFound);
        Assert.Contains("no node owns", unowned.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/app.db", null, "/data/app.db")]
    [InlineData("10.0.0.1:4053:/data/app.db", "10.0.0.1:4053", "/data/app.db")]
    [InlineData("akka.tcp://litestream@10.0.0.1:4053:/data/app.db", "akka.tcp://litestream@10.0.0.1:4053", "/data/app.db")]
    [InlineData("relative.db", null, "relative.db")]
    public void Node_and_path_split_at_the_colon_before_the_absolute_path(string argument, string? node, string path) =>
        Assert.Equal((node, path), CatalogLookup.Split(argument));

    private static CatalogRow Row(string node, string replica, string state, string owner) =>
        new(node, Path, replica, "s3", "s3://bucket/app", state, 5, 5, 0, null, null, null, owner);
}
