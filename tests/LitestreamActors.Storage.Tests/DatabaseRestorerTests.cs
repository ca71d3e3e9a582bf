using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Restore;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>Restores of replicas written from databases that the real sqlite3 changes, compared by .dump.</summary>
public sealed class DatabaseRestorerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData(1024, LtxPageEncoding.SizePrefixedBlock)]
    [InlineData(4096, LtxPageEncoding.Lz4Frame)]
    [InlineData(65536, LtxPageEncoding.SizePrefixedBlock)]
    public async Task Every_txid_restores_to_the_dump_the_database_had_then(int pageSize, LtxPageEncoding encoding)
    {
        var (writer, dumps) = BuildHistory(pageSize, encoding);

        foreach (var (txid, dump) in dumps)
        {
            var output = _dir.File($"restored-{txid}.db");
            var plan = await RestorePlanner.PlanAsync(writer.Client, new RestoreTarget(txid, null), CancellationToken.None);
            var result = await DatabaseRestorer.RestoreAsync(writer.Client, plan, output, IntegrityCheckMode.Full, false, CancellationToken.None);
            Assert.Equal(txid, result.Txid);
            Assert.Equal(dump, Sqlite3.Dump(output));
        }
    }

    [Theory]
    [InlineData(LtxPageEncoding.SizePrefixedBlock)]
    [InlineData(LtxPageEncoding.Lz4Frame)]
    public async Task A_file_of_many_batches_restores_the_same_bytes_at_every_parallelism_and_a_damaged_page_fails_each(LtxPageEncoding encoding)
    {
        var db = _dir.File("source.db");
        var writer = new ReplicaWriter(db, _dir.File("replica"), encoding);
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(21), 4000, 500));
        Assert.NotNull(writer.Capture());
        var plan = await RestorePlanner.PlanAsync(writer.Client, RestoreTarget.Latest, CancellationToken.None);
        var sequential = _dir.File("sequential.db");
        await DatabaseRestorer.RestoreAsync(writer.Client, plan, sequential, IntegrityCheckMode.Full, false, CancellationToken.None, parallelism: 1);
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(sequential));
        Assert.True(new FileInfo(sequential).Length > 1 << 20, "the file must span many 256 KiB batches");
        foreach (var parallelism in new[] { 2, 6 })
        {
            var output = _dir.File($"parallel-{parallelism}.db");
            await DatabaseRestorer.RestoreAsync(writer.Client, plan, output, IntegrityCheckMode.None, false, CancellationToken.None, parallelism: parallelism);
            Assert.Equal(await File.ReadAllBytesAsync(sequential), await File.ReadAllBytesAsync(output));
        }

        // A bit flipped in a page's compressed bytes decodes to other bytes or to nothing: the file checksum, joined from
        // the pages' own CRCs, or the decoder refuses it at every parallelism, and nothing is left behind.
        var victim = writer.Client.FilePath(0, 1, 1);
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[bytes.Length * 2 / 3] ^= 0x04;
        await File.WriteAllBytesAsync(victim, bytes);
        foreach (var parallelism in new[] { 1, 6 })
        {
            var output = _dir.File($"damaged-{parallelism}.db");
            var e = await Assert.ThrowsAsync<LtxFormatException>(() =>
                DatabaseRestorer.RestoreAsync(writer.Client, plan, output, IntegrityCheckMode.None, false, CancellationToken.None, parallelism: parallelism));
            Assert.StartsWith("ltx/0/0000000000000001-0000000000000001.ltx: ", e.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(output));
        }
    }

    [Fact]
    public async Task The_next_file_is_asked_for_while_the_current_one_is_applied_unless_parallelism_is_one()
    {
        var (writer, dumps) = BuildHistory(4096, LtxPageEncoding.SizePrefixedBlock);
        var plan = await RestorePlanner.PlanAsync(writer.Client, RestoreTarget.Latest, CancellationToken.None);
        var files = plan.Files.Select(f => f.MaxTxid).ToList();
        Assert.Equal(dumps.Count, files.Count);
        foreach (var parallelism in new[] { 1, 4 })
        {
            var log = new OpenCloseLog(writer.Client, parallelism > 1 ? files : null);
            var output = _dir.File($"out-{parallelism}.db");
            await DatabaseRestorer.RestoreAsync(log, plan, output, IntegrityCheckMode.Full, false, CancellationToken.None, parallelism: parallelism);
            Assert.Equal(dumps[^1].Dump, Sqlite3.Dump(output));
            var events = log.Events;
            Assert.Equal(files.Count * 2, events.Count);
            for (var i = 0; i + 1 < files.Count; i++)
            {
                var nextAsked = IndexOf(events, $"open {files[i + 1]}");
                var currentClosed = IndexOf(events, $"close {files[i]}");
                Assert.True(parallelism == 1 ? nextAsked > currentClosed : nextAsked < currentClosed, string.Join(", ", events));
            }
        }

        static int IndexOf(IReadOnlyList<string> events, string what) => events.ToList().IndexOf(what) is >= 0 and var index ? index : throw new Xunit.Sdk.XunitException(what + " never happened");
    }

    [Fact]
    public async Task A_planned_file_deleted_by_retention_mid_restore_is_planned_around()
    {
        var (writer, dumps) = BuildHistory(4096, LtxPageEncoding.SizePrefixedBlock);
        var plan = await RestorePlanner.PlanAsync(writer.Client, RestoreTarget.Latest, CancellationToken.None);
        var compactor = new Compaction.LevelCompactor(writer.Client, null, _dir.File("scratch"));
        var merged = await compactor.CompactAsync(1, CancellationToken.None);
        Assert.NotNull(merged);
        // What retention does once level 1 covers level 0: the old plan's files are gone when the restore reads them.
        await writer.Client.DeleteAsync(plan.Files, CancellationToken.None);

        var output = _dir.File("out.db");
        var replans = 0;
        var result = await DatabaseRestorer.RestoreAsync(writer.Client, plan, output, IntegrityCheckMode.Full, false, CancellationToken.None, async ct =>
        {
            replans++;
            return await RestorePlanner.PlanAsync(writer.Client, RestoreTarget.Latest, ct);
        });
        Assert.Equal(1, replans);
        Assert.Equal(merged.MaxTxid, result.Txid);
        Assert.Equal(dumps[^1].Dump, Sqlite3.Dump(output));
    }

    [Fact]
    public async Task A_replan_keeps_the_snapshot_already_applied_and_continues_from_the_new_files()
    {
        var (writer, dumps) = BuildHistory(4096, LtxPageEncoding.SizePrefixedBlock);
        var scratch = _dir.File("scratch");
        var l0 = await writer.Client.ListAsync(0, CancellationToken.None);
        await Compaction.MergedFileWriter.WriteAsync(writer.Client, l0.Take(2).ToList(), LtxFileInfo.SnapshotLevel, scratch, OpenFromReplica, CancellationToken.None);
        var plan = await RestorePlanner.PlanAsync(writer.Client, RestoreTarget.Latest, CancellationToken.None);
        Assert.Equal([9, 0, 0, 0, 0], plan.Files.Select(f => f.Level));
        // Retention runs while the restore reads the second L0 file: level 1 now covers them and they are gone.
        var client = new RetentionOnOpen(writer.Client, plan.Files[2], async () =>
        {
            var tail = l0.Skip(2).ToList();
            await Compaction.MergedFileWriter.WriteAsync(writer.Client, tail, 1, scratch, OpenFromReplica, CancellationToken.None);
            await writer.Client.DeleteAsync(tail.Take(tail.Count - 1).ToList(), CancellationToken.None);
        });

        var output = _dir.File("out.db");
        var result = await DatabaseRestorer.RestoreAsync(client, plan, output, IntegrityCheckMode.Full, false, CancellationToken.None,
            ct => RestorePlanner.PlanAsync(client, RestoreTarget.Latest, ct));
        Assert.Equal(1, result.Replans);
        Assert.Equal(1, client.Opened.Count(f => f.Level == LtxFileInfo.SnapshotLevel));
        Assert.Equal(dumps[^1].Dump, Sqlite3.Dump(output));

        Task<Stream> OpenFromReplica(LtxFileInfo f, CancellationToken ct) => writer.Client.OpenAsync(f.Level, f.MinTxid, f.MaxTxid, 0, null, ct);
    }

    [Fact]
    public async Task A_corrupt_file_fails_with_its_name_and_leaves_nothing_behind()
    {
        var (writer, _) = BuildHistory(4096, LtxPageEncoding.SizePrefixedBlock);
        var victim = writer.Client.FilePath(0, 2, 2);
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[bytes.Length / 2] ^= 0x10;
        await File.WriteAllBytesAsync(victim, bytes);

        var output = _dir.File("out.db");
        var plan = await RestorePlanner.PlanAsync(writer.Client, RestoreTarget.Latest, CancellationToken.None);
        var e = await Assert.ThrowsAsync<LtxFormatException>(() =>
            DatabaseRestorer.RestoreAsync(writer.Client, plan, output, IntegrityCheckMode.None, false, CancellationToken.None));

        Assert.StartsWith("ltx/0/0000000000000002-0000000000000002.ltx: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(["replica"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_file_that_disappears_after_planning_fails_cleanly()
    {
        var (writer, _) = BuildHistory(4096, LtxPageEncoding.SizePrefixedBlock);
        var plan = await RestorePlanner.PlanAsync(writer.Client, RestoreTarget.Latest, CancellationToken.None);
        File.Delete(writer.Client.FilePath(0, 3, 3));

        await Assert.ThrowsAsync<Replica.ReplicaFileNotFoundException>(() =>
            DatabaseRestorer.RestoreAsync(writer.Client, plan, _dir.File("out.db"), IntegrityCheckMode.None, false, CancellationToken.None));
        Assert.False(File.Exists(_dir.File("out.db.tmp")));
        Assert.False(File.Exists(_dir.File("out.db")));
    }

    [Fact]
    public async Task Refuses_to_replace_an_existing_output_unless_told()
    {
        var (writer, dumps) = BuildHistory(4096, LtxPageEncoding.SizePrefixedBlock);
        var output = _dir.File("out.db");
        await File.WriteAllTextAsync(output, "precious");
        var plan = await RestorePlanner.PlanAsync(writer.Client, RestoreTarget.Latest, CancellationToken.None);

        await Assert.ThrowsAsync<IOException>(() =>
            DatabaseRestorer.RestoreAsync(writer.Client, plan, output, IntegrityCheckMode.None, false, CancellationToken.None));
        Assert.Equal("precious", await File.ReadAllTextAsync(output));

        await File.WriteAllTextAsync(output + "-wal", "stale wal that would corrupt the restored database");
        await DatabaseRestorer.RestoreAsync(writer.Client, plan, output, IntegrityCheckMode.Quick, true, CancellationToken.None);
        Assert.False(File.Exists(output + "-wal"));
        Assert.Equal(dumps[^1].Dump, Sqlite3.Dump(output));
    }

    [Fact]
    public async Task A_history_missing_a_growth_page_is_refused()
    {
        var replica = new FileReplicaClient(_dir.File("replica"));
        await Write(replica, LtxFiles.Encode(1024, 2, 1, 1, [(1, LtxFiles.Page(1024, 1)), (2, LtxFiles.Page(1024, 2))]), 1);
        await Write(replica, LtxFiles.Encode(1024, 4, 2, 2, [(4, LtxFiles.Page(1024, 4))]), 2);

        var plan = await RestorePlanner.PlanAsync(replica, RestoreTarget.Latest, CancellationToken.None);
        var e = await Assert.ThrowsAsync<RestoreException>(() =>
            DatabaseRestorer.RestoreAsync(replica, plan, _dir.File("out.db"), IntegrityCheckMode.None, false, CancellationToken.None));
        Assert.Equal("replica files do not hold page 3 of the 4-page database", e.Message);
        Assert.False(File.Exists(_dir.File("out.db")));
    }

    public void Dispose() => _dir.Dispose();

    private static Task Write(FileReplicaClient replica, byte[] file, ulong txid) =>
        replica.WriteAsync(0, txid, txid, new MemoryStream(file), LtxFiles.Time, CancellationToken.None);

    private (ReplicaWriter Writer, List<(ulong Txid, string Dump)> Dumps) BuildHistory(int pageSize, LtxPageEncoding encoding)
    {
        var db = _dir.File("source.db");
        var writer = new ReplicaWriter(db, _dir.File("replica"), encoding);
        var random = new Random(pageSize);
        var dumps = new List<(ulong, string)>();
        var steps = new[]
        {
            $"PRAGMA page_size={pageSize};\n" + RandomRows.Schema + RandomRows.Inserts(random, 30),
            RandomRows.Inserts(random, 200),
            "DELETE FROM t WHERE id % 2 = 0;\n",
            "CREATE INDEX t_tag ON t(tag);\n" + RandomRows.Inserts(random, 100),
            "VACUUM;\n",
            "UPDATE t SET tag = 'changed' WHERE id % 5 = 0;\n",
        };
        foreach (var step in steps)
        {
            Sqlite3.Execute(db, step);
            var txid = writer.Capture();
            Assert.NotNull(txid);
            dumps.Add((txid.Value, Sqlite3.Dump(db)));
        }
        File.Delete(db);
        return (writer, dumps);
    }
}
