using System.Globalization;
using System.Text.RegularExpressions;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Restore drills (<c>verify: {interval}</c>): a replica restores itself to a scratch file on schedule and matches the
/// source's page checksum at that TXID, also after a restart; a replica file whose pages were changed behind our
/// back fails the drill with an error naming the TXID and the checksums.
/// </summary>
public sealed partial class RestoreDrillTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Drills_prove_the_newest_txid_also_after_a_restart()
    {
        var (db, replica, config) = Setup("levels:\n  - interval: 2s\n");
        var random = new Random(50);
        using (var replicate = ReplicateProcess.Start("-config", config))
        {
            var last = Commit(db, replica, random, replicate, 5);
            Eventually.True(() => ProvenTxids(replicate.Output).Any(t => t >= last), TimeSpan.FromSeconds(60), () => replicate.Output);
            Assert.Equal(0, replicate.Stop());
            Assert.DoesNotContain("restore drill failed", replicate.Output, StringComparison.Ordinal);
        }

        Sqlite3.Execute(db, RandomRows.Inserts(random, 30));
        using (var resumed = ReplicateProcess.Start("-config", config))
        {
            var last = Commit(db, replica, random, resumed, 3);
            Eventually.True(() => ProvenTxids(resumed.Output).Any(t => t >= last), TimeSpan.FromSeconds(60), () => resumed.Output);
            Assert.Equal(0, resumed.Stop());
            Assert.Contains("capture check passed", resumed.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("restore drill failed", resumed.Output, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir.File(".app.db-litestream"), "drill")));
    }

    [Fact]
    public void A_replica_file_with_changed_pages_fails_the_drill_with_the_reason()
    {
        // Level 1 on a yearly boundary (an hourly one was crossed mid-test once), so restores read the L0 files, one of
        // which is then tampered with.
        var (db, replica, config) = Setup("levels:\n  - interval: 8760h\n");
        using var replicate = ReplicateProcess.Start("-config", config);
        var last = Commit(db, replica, new Random(51), replicate, 3);
        Eventually.True(() => ProvenTxids(replicate.Output).Any(t => t >= last), TimeSpan.FromSeconds(60), () => replicate.Output);

        ChangeOnePage(Path.Combine(replica, "ltx", "0", LtxFileName.Format(last, last)));
        Eventually.True(() => replicate.Output.Contains($"restore drill failed replica=file txid={last:x16}", StringComparison.Ordinal)
            || DrillFailedAtOrAfter(replicate.Output, last), TimeSpan.FromSeconds(60), () => replicate.Output);
        Assert.Matches("restore drill failed replica=file txid=[0-9a-f]{16}: restored database checksum [0-9a-f]{16} differs from the source's", replicate.Output);
        Assert.Equal(0, replicate.Stop());
    }

    public void Dispose() => _dir.Dispose();

    private (string Db, string Replica, string Config) Setup(string levels)
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, levels + "verify:\n  interval: 2s\n"
            + $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {replica}\n");
        if (!File.Exists(db))
        {
            Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(52), 40));
        }
        return (db, replica, config);
    }

    private static ulong Commit(string db, string replica, Random random, ReplicateProcess replicate, int count)
    {
        Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) >= 1, TimeSpan.FromSeconds(60), () => replicate.Output);
        for (var i = 0; i < count; i++)
        {
            var before = ReplicaFiles.MaxL0Txid(replica);
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 20, 300) + "COMMIT;\n");
            Eventually.True(() => ReplicaFiles.MaxL0Txid(replica) > before, TimeSpan.FromSeconds(30), () => replicate.Output);
        }
        return ReplicaFiles.MaxL0Txid(replica);
    }

    private static IEnumerable<ulong> ProvenTxids(string output) =>
        Passed().Matches(output).Select(m => ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    private static bool DrillFailedAtOrAfter(string output, ulong txid) =>
        Failed().Matches(output).Any(m => ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture) >= txid);

    // Rewrites a replica file with one byte of its last page changed: a valid LTX file holding other data.
    private static void ChangeOnePage(string path)
    {
        var pages = new List<(uint Pgno, byte[] Data)>();
        LtxHeader header;
        using (var input = File.OpenRead(path))
        {
            var decoder = new LtxDecoder(input, path);
            header = decoder.ReadHeader();
            var page = new byte[header.PageSize];
            while (decoder.ReadPage(page, out var pgno))
            {
                pages.Add((pgno, (byte[])page.Clone()));
            }
            decoder.ReadToEnd();
        }
        pages[^1].Data[^1] ^= 0x5a;
        var temp = path + ".tampered";
        using (var output = File.Create(temp))
        using (var encoder = new LtxEncoder(output, header))
        {
            foreach (var (pgno, data) in pages)
            {
                encoder.WritePage(pgno, data);
            }
            encoder.Finish();
        }
        File.Move(temp, path, overwrite: true);
    }

    [GeneratedRegex("restore drill passed replica=\\S+ txid=([0-9a-f]{16})")]
    private static partial Regex Passed();

    [GeneratedRegex("restore drill failed replica=\\S+ txid=([0-9a-f]{16})")]
    private static partial Regex Failed();
}
