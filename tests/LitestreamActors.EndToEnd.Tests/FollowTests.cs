using System.Globalization;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// <c>restore -f</c> against a replica <c>replicate</c> is writing: the output follows each commit (same <c>.dump</c>),
/// and started again after a stop it resumes from its recorded TXID.
/// </summary>
public sealed class FollowTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void The_output_follows_the_replica_and_resumes_from_its_recorded_txid()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var output = _dir.File("follower.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(50), 30));
        using var replicate = ReplicateProcess.Start(db, "file://" + replica);
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);

        using (var follow = ReplicateProcess.StartRestoreFollow("-o", output, "file://" + replica))
        {
            CommitAndWait(db, replica, output, new Random(51), follow);
            CommitAndWait(db, replica, output, new Random(52), follow);
            Assert.Equal(0, follow.Stop());
        }
        Sqlite3.Execute(db, "BEGIN;\nDELETE FROM t WHERE id % 3 = 0;\n" + RandomRows.Inserts(new Random(53), 20) + "COMMIT;\n");
        using (var resumed = ReplicateProcess.StartRestoreFollow("-o", output, "file://" + replica))
        {
            CommitAndWait(db, replica, output, new Random(54), resumed);
            Assert.Equal(0, resumed.Stop());
            Assert.Contains("resuming follow", resumed.Output, StringComparison.Ordinal);
        }
        Assert.Equal(0, replicate.Stop());
    }

    public void Dispose() => _dir.Dispose();

    private static void CommitAndWait(string db, string replica, string output, Random random, ReplicateProcess follow)
    {
        Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 25, 800) + "COMMIT;\n");
        var expected = Sqlite3.Dump(db);
        Eventually.True(() => Recorded(output) is { } txid && txid == ReplicaFiles.MaxL0Txid(replica) && txid > 1, TimeSpan.FromSeconds(60), () => follow.Output);
        Eventually.True(() => Sqlite3.Dump(output) == expected, TimeSpan.FromSeconds(30), () => follow.Output);
    }

    private static ulong? Recorded(string output) =>
        File.Exists(output + "-txid") && ulong.TryParse(File.ReadAllText(output + "-txid").Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var txid)
            ? txid
            : null;
}
