using System.Globalization;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// One byte of an uploaded replica file changed behind the node's back: <c>verify</c> and the next restore drill name the
/// file, a restore to a TXID before it still gives that TXID's state, a restore through it fails with one line and
/// leaves no output, and the node never "repairs" the replica by deleting or rewriting the file.
/// </summary>
public sealed class CorruptionAtRestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_changed_byte_is_named_by_verify_and_the_drill_and_earlier_txids_still_restore()
    {
        var (db, replica, replicate) = Started("verify:\n  interval: 1s\n", 60);
        using var _ = replicate;
        var dumps = new Dictionary<ulong, string>();
        var random = new Random(61);
        for (var i = 0; i < 4; i++)
        {
            var before = ReplicaFiles.MaxL0Txid(replica);
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 20, 300) + "COMMIT;\n");
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > before, TimeSpan.FromSeconds(30), () => replicate.Output);
            dumps[ReplicaFiles.MaxL0Txid(replica)] = Sqlite3.Dump(db);
        }

        var damagedTxid = dumps.Keys.Order().ElementAt(2);
        var name = LtxFileName.Format(damagedTxid, damagedTxid);
        var path = Path.Combine(replica, "ltx", "0", name);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var verify = LitestreamCli.Run("verify", "file://" + replica);
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains(verify.StandardOutput.Split('\n'), line => line.StartsWith($"ltx/0/{name}: ", StringComparison.Ordinal));

        var beforeDrill = replicate.Output.Length;
        Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 20, 300) + "COMMIT;\n");
        Eventually.True(() => replicate.Output[beforeDrill..].Split('\n').Any(line => line.Contains("restore drill failed", StringComparison.Ordinal)
            && line.Contains(name, StringComparison.Ordinal)), TimeSpan.FromSeconds(60), () => replicate.Output);

        var earlier = dumps.Keys.Order().ElementAt(1);
        var restoredEarlier = _dir.File("earlier.db");
        LitestreamCli.Run("restore", "-txid", earlier.ToString("x16", CultureInfo.InvariantCulture), "-o", restoredEarlier, "file://" + replica)
            .EnsureSuccess("restore -txid before the damaged file");
        Assert.Equal(dumps[earlier], Sqlite3.Dump(restoredEarlier));

        var latest = _dir.File("latest.db");
        var failed = LitestreamCli.Run("restore", "-o", latest, "file://" + replica);
        Assert.Equal(1, failed.ExitCode);
        var error = Assert.Single(failed.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(name, error, StringComparison.Ordinal);
        Assert.False(File.Exists(latest) || File.Exists(latest + ".tmp"), "a failed restore left a file behind");

        Assert.Equal(0, replicate.Stop());
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_follower_applies_nothing_of_a_changed_file_and_stops_with_one_line_at_the_last_good_txid()
    {
        var (db, replica, replicate) = Started(string.Empty, 62);
        using var _ = replicate;
        var output = _dir.File("follower.db");
        var followed = ReplicaFiles.MaxL0Txid(replica);
        var followedDump = Sqlite3.Dump(db);
        using (var follower = ReplicateProcess.StartRestoreFollow("-follow-interval", "100ms", "-o", output, "file://" + replica))
        {
            Eventually.True(() => File.Exists(output + "-txid") && File.ReadAllText(output + "-txid").Trim() == Txid.Format(followed),
                TimeSpan.FromSeconds(60), () => follower.Output);
            Assert.Equal(0, follower.Stop());
        }

        var random = new Random(63);
        for (var i = 0; i < 2; i++)
        {
            var before = ReplicaFiles.MaxL0Txid(replica);
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 20, 300) + "COMMIT;\n");
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > before, TimeSpan.FromSeconds(30), () => replicate.Output);
        }
        var damaged = ReplicaFiles.List(replica, 0).Select(f => f.Max).Order().First(txid => txid > followed);
        var name = LtxFileName.Format(damaged, damaged);
        var path = Path.Combine(replica, "ltx", "0", name);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        using (var resumed = ReplicateProcess.StartRestoreFollow("-follow-interval", "100ms", "-o", output, "file://" + replica))
        {
            Eventually.True(() => resumed.HasExited, TimeSpan.FromSeconds(60), () => resumed.Output);
            Assert.Equal(1, resumed.ExitCode());
            var error = Assert.Single(resumed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => !line.Contains("level=INFO", StringComparison.Ordinal));
            Assert.Contains(name, error, StringComparison.Ordinal);
        }
        Assert.Equal(Txid.Format(followed), File.ReadAllText(output + "-txid").Trim());
        Assert.Equal(followedDump, Sqlite3.Dump(output));
        Assert.False(File.Exists(output + "-follow.ltx.tmp"), "the follower left its download behind");
        Assert.Equal(0, replicate.Stop());
    }

    public void Dispose() => _dir.Dispose();

    // Level 1 on a yearly boundary, so every restore reads the L0 files and a damaged one stays in the plan.
    private (string Db, string Replica, ReplicateProcess Node) Started(string extraYaml, int seed)
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, "levels:\n  - interval: 8760h\n" + extraYaml
            + $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {replica}\n");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(seed), 40));
        var node = ReplicateProcess.Start("-config", config);
        try
        {
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => node.Output);
        }
        catch
        {
            node.Dispose();
            throw;
        }
        return (db, replica, node);
    }
}
