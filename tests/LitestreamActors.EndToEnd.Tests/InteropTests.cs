using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>Both directions against the real Litestream 0.5.17 LTX reader and writer.</summary>
public sealed class InteropTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Replicas_written_by_litestream_restore_to_the_exact_dump_at_every_txid()
    {
        var replica = _dir.File("replica");
        var mirror = _dir.File("mirror.db");
        var random = new Random(Environment.TickCount);
        var steps = new List<string>
        {
            RandomRows.Schema + RandomRows.Inserts(random, 50),
            "BEGIN;\n" + RandomRows.Inserts(random, 400, 1500) + "COMMIT;\n",
            "DELETE FROM t WHERE id % 3 = 1;\n",
            "CREATE INDEX t_tag ON t(tag);\nUPDATE t SET tag = tag || ' updated' WHERE id % 7 = 0;\n",
            RandomRows.Inserts(random, 20),
        };
        var dumps = new List<string>();
        foreach (var step in steps)
        {
            LitestreamVfs.Run(replica, step, write: true).EnsureSuccess("litestream-vfs writer");
            Sqlite3.Execute(mirror, step);
            dumps.Add(Sqlite3.Dump(mirror));
        }

        var files = Directory.GetFiles(Path.Combine(replica, "ltx", "0")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(steps.Count, files.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var txid = Txid.Format((ulong)i + 1);
            var output = _dir.File($"restored-{txid}.db");
            LitestreamCli.Run("restore", "-txid", txid, "-integrity-check", "full", "-o", output, "file://" + replica).EnsureSuccess("restore");
            Assert.Equal(dumps[i], Sqlite3.Dump(output));
        }
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(65536)]
    public void Litestream_reads_the_snapshot_and_incrementals_we_write(int pageSize)
    {
        var db = _dir.File("source.db");
        var replica = _dir.File("replica");
        var writer = new ReplicaWriter(db, replica);
        var random = new Random(pageSize);
        var steps = new[]
        {
            $"PRAGMA page_size={pageSize};\n" + RandomRows.Schema + RandomRows.Inserts(random, 40),
            "BEGIN;\n" + RandomRows.Inserts(random, 300, 1200) + "COMMIT;\n",
            "DELETE FROM t WHERE id % 4 = 0;\nCREATE INDEX t_tag ON t(tag);\n",
            "UPDATE t SET tag = 'rewritten' WHERE id % 9 = 0;\n",
        };
        foreach (var step in steps)
        {
            Sqlite3.Execute(db, step);
            Assert.NotNull(writer.Capture());
        }

        Assert.Equal(Sqlite3.Dump(db), LitestreamVfs.Dump(replica));
    }

    [Fact]
    public void Litestream_reads_a_replica_compacted_by_our_compactor()
    {
        var db = _dir.File("source.db");
        var replica = _dir.File("replica");
        var writer = new ReplicaWriter(db, replica);
        var random = new Random(42);
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(random, 100));
        writer.Capture();
        for (var i = 0; i < 6; i++)
        {
            Sqlite3.Execute(db, RandomRows.Inserts(random, 60) + $"DELETE FROM t WHERE id % {i + 3} = 0;\n");
            writer.Capture();
        }

        var client = new FileReplicaClient(replica);
        var l0 = Directory.GetFiles(Path.Combine(replica, "ltx", "0")).Order().ToList();
        var compactedPath = client.FilePath(1, 1, writer.Txid);
        Directory.CreateDirectory(Path.GetDirectoryName(compactedPath)!);
        using (var output = File.Create(compactedPath))
        {
            var inputs = l0.Select(p => new LtxCompactor.Input(File.OpenRead(p), p)).ToList();
            LtxCompactor.Compact(inputs, output);
            inputs.ForEach(i => i.Stream.Dispose());
        }
        l0.ForEach(File.Delete);

        Assert.Equal(Sqlite3.Dump(db), LitestreamVfs.Dump(replica));
        var restored = _dir.File("restored.db");
        LitestreamCli.Run("restore", "-o", restored, "file://" + replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
    }

    public void Dispose() => _dir.Dispose();
}
