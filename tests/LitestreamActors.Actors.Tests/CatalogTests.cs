using LitestreamActors.Actors.Cluster;
using LitestreamActors.Actors.Status;

namespace LitestreamActors.Actors.Tests;

/// <summary>A node's catalog rows from its databases' status, and what it must write when they change.</summary>
public sealed class CatalogTests
{
    private const string Node = "akka.tcp://litestream@127.0.0.1:4053";
    private static readonly DateTimeOffset At = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_row_per_replica_with_its_state_and_whole_second_lag()
    {
        var database = new DatabaseStatus("/data/app.db", "replicating", 9, At, null,
        [
            new ReplicaStatus("s3", "s3", "s3://bucket/app", 9, At, null) { Lag = TimeSpan.FromMilliseconds(1900), LastProvenTxid = 7 },
            new ReplicaStatus("nas", "sftp", "sftp://nas/app", 4, At, "upload of 0000000000000005 failed: timeout"),
        ]);
        var rows = CatalogRow.From(Node, database).ToList();
        Assert.Equal([$"{Node}|/data/app.db|s3", $"{Node}|/data/app.db|nas"], rows.Select(r => r.Key));
        Assert.Equal((CatalogRow.Running, 1L, 7UL), (rows[0].State, rows[0].LagSeconds!.Value, rows[0].LastProvenTxid!.Value));
        Assert.Equal((CatalogRow.Failed, "upload of 0000000000000005 failed: timeout"), (rows[1].State, rows[1].LastError));
        Assert.All(CatalogRow.From(Node, database with { State = "stopped" }), r => Assert.Equal(CatalogRow.Stopped, r.State));
        // A warm standby follows (whatever its replica's last error says); a database another was promoted over is demoted.
        Assert.All(CatalogRow.From(Node, database with { State = "following" }), r => Assert.Equal(CatalogRow.Following, r.State));
        Assert.All(CatalogRow.From(Node, database with { State = "restoring" }), r => Assert.Equal(CatalogRow.Following, r.State));
        Assert.All(CatalogRow.From(Node, database with { State = "demoted" }), r => Assert.Equal(CatalogRow.Demoted, r.State));
    }

    [Fact]
    public void Only_changed_rows_are_written_and_gone_ones_removed()
    {
        var a = Row("a", 1);
        var b = Row("b", 1);
        var published = new Dictionary<string, CatalogRow> { [a.Key] = a, [b.Key] = b };
        Assert.True(CatalogChanges.Between(published, [a, b]).IsEmpty);

        var changes = CatalogChanges.Between(published, [a with { LocalTxid = 2 }, Row("c", 1)]);
        Assert.Equal(["a", "c"], changes.Set.Select(r => r.Replica));
        Assert.Equal([b.Key], changes.Removed);
    }

    private static CatalogRow Row(string replica, ulong txid) =>
        new(Node, "/data/app.db", replica, "file", "/backup/" + replica, CatalogRow.Running, txid, txid, 0, At, null, null, Node);
}
