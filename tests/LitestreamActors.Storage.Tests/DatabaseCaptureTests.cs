using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Restore;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>Capture of databases that real sqlite3 processes change; every TXID restores to the dump it had.</summary>
public sealed class DatabaseCaptureTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _meta;
    private readonly List<(ulong Txid, string Dump, ulong? Checksum)> _history = [];
    private readonly Random _random = new(17);

    public DatabaseCaptureTests()
    {
        _db = _dir.File("app.db");
        _meta = _dir.File(".app.db-litestream");
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(_random, 20));
    }

    [Fact]
    public async Task Snapshot_then_increments_through_checkpoints_restore_at_every_txid()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Assert.True(capture.SwitchedToWal);
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: true);
            Assert.Null(capture.Sync(DateTimeOffset.UtcNow));

            Write("BEGIN;\n" + RandomRows.Inserts(_random, 300, 2000) + "COMMIT;\n");
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);

            Write(RandomRows.Inserts(_random, 5));
            var beforeCheckpoint = Sqlite3.Dump(_db);
            Record(capture.Checkpoint(CheckpointMode.Passive, DateTimeOffset.UtcNow).Single(), snapshot: false, beforeCheckpoint);

            Write("DELETE FROM t WHERE id % 3 = 0;\nCREATE INDEX t_tag ON t(tag);\n");
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);

            Write("VACUUM;\n");
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);

            Write(RandomRows.Inserts(_random, 50));
            beforeCheckpoint = Sqlite3.Dump(_db);
            Record(capture.Checkpoint(CheckpointMode.Truncate, DateTimeOffset.UtcNow).Single(), snapshot: false, beforeCheckpoint);
            Assert.Equal(0, new FileInfo(_db + "-wal").Length);
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: true);
            Write(RandomRows.Inserts(_random, 5));
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);
        }
        await AssertEveryTxidRestores();
    }

    [Fact]
    public async Task A_quiet_database_is_not_read_until_a_commit_changes_its_files()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
            Write(RandomRows.Inserts(_random, 5));
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: false);
            Thread.Sleep(QuietStamp.Settle + TimeSpan.FromMilliseconds(200));
            // Not quiet until a capture found nothing: a monitor tick would ask for a capture.
            Assert.False(capture.LooksQuiet(QuietStamp.Take(_db, DateTime.UtcNow)));
            Assert.Null(capture.Sync(DateTimeOffset.UtcNow));
            Assert.True(capture.LooksQuiet(QuietStamp.Take(_db, DateTime.UtcNow)));
            Assert.Null(capture.Sync(DateTimeOffset.UtcNow));

            Write(RandomRows.Inserts(_random, 3));
            Assert.False(capture.LooksQuiet(QuietStamp.Take(_db, DateTime.UtcNow)));
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: false);
            Thread.Sleep(QuietStamp.Settle + TimeSpan.FromMilliseconds(200));
            Assert.Null(capture.Sync(DateTimeOffset.UtcNow));
            // The application checkpoints, then commits: both files move, the commit is captured.
            Write("PRAGMA wal_checkpoint(PASSIVE);\n" + RandomRows.Inserts(_random, 1));
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: false);
        }
        await AssertEveryTxidRestores();
    }

    [Fact]
    public async Task A_plan_folded_into_a_checkpoint_is_one_file_with_what_came_after_it()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
            Write(RandomRows.Inserts(_random, 40));
            var planned = capture.Plan()!;
            // After the plan, before the barrier: pages the plan holds change again, and the database shrinks.
            Write("DELETE FROM t WHERE id % 2 = 0;\nVACUUM;\n" + RandomRows.Inserts(_random, 3));
            var folded = capture.Checkpoint(CheckpointMode.Passive, DateTimeOffset.UtcNow, planned).Single();
            Assert.Equal(planned.Txid, folded.Plan.Txid);
            Record(folded, snapshot: false);
            Assert.Equal(planned.Txid, capture.Store.List().Last());

            // Nothing committed between the plan and the barrier: the plan's own file.
            Write(RandomRows.Inserts(_random, 5));
            planned = capture.Plan()!;
            Record(capture.Checkpoint(CheckpointMode.Passive, DateTimeOffset.UtcNow, planned).Single(), snapshot: false);
            Write(RandomRows.Inserts(_random, 5));
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);
        }
        await AssertEveryTxidRestores();
    }

    [Fact]
    public async Task A_checkpoint_while_we_were_down_after_a_crash_is_answered_with_a_full_file()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
            Write(RandomRows.Inserts(_random, 30));
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: false);
        }

        Write(RandomRows.Inserts(_random, 30) + "PRAGMA wal_checkpoint(TRUNCATE);\n" + RandomRows.Inserts(_random, 10));
        // As after kill -9: no state kept at our stop to compare the database with.
        File.Delete(PageStateFile.PathIn(_meta));

        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(2UL, capture.Position!.Txid);
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
            Write(RandomRows.Inserts(_random, 3));
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: false);
        }
        await AssertEveryTxidRestores();
    }

    [Fact]
    public async Task After_a_restart_capture_resumes_at_the_next_txid_and_then_goes_on_incrementally()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
        }
        // SQLite kept the WAL at our close: reopening continues the same generation, with nothing new to capture.
        Assert.True(File.Exists(_db + "-wal"));
        using (var holder = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(1UL, holder.Position!.Txid);
            Assert.Null(holder.Sync(DateTimeOffset.UtcNow));
            Write(RandomRows.Inserts(_random, 10));
            Record(holder.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);
            Write("DELETE FROM t;\nVACUUM;\n" + RandomRows.Inserts(_random, 2));
            Record(holder.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);
            Assert.All(_history.Skip(1), h => Assert.NotNull(h.Checksum));
        }
        await AssertEveryTxidRestores();
    }

    [Fact]
    public async Task When_the_wal_was_removed_while_we_were_down_only_the_pages_that_differ_are_captured()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
        }
        // Nothing changed, but the application checkpointed and closed last: the WAL is gone.
        Write("PRAGMA wal_checkpoint(TRUNCATE);\n");
        File.Delete(_db + "-wal");
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            // The database is the state the newest file claims: nothing to write.
            Assert.Null(capture.Sync(DateTimeOffset.UtcNow));
            // Our read held at that state proves the WAL the application starts next continues it.
            Write(RandomRows.Inserts(_random, 20));
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: false);
        }
        Write("PRAGMA wal_checkpoint(TRUNCATE);\n" + RandomRows.Inserts(_random, 5) + "PRAGMA wal_checkpoint(TRUNCATE);\n");
        File.Delete(_db + "-wal");
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            var changed = capture.Sync(DateTimeOffset.UtcNow, fullCheck: true)!;
            Assert.True(changed.Plan.ByComparison);
            Assert.True(changed.Plan.PageCount < 20, $"pages={changed.Plan.PageCount}");
            Record(changed, snapshot: false);
        }
        await AssertEveryTxidRestores();
    }

    [Fact]
    public async Task Pages_read_for_a_file_never_published_are_not_kept_as_the_published_state()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
            // A capture stopped mid-file (the node stopping while its encoder writes): its pages were read, nothing published.
            Write(RandomRows.Inserts(_random, 20));
            var plan = capture.Plan()!;
            foreach (var _ in capture.PagesOf(plan))
            {
            }
        }
        // While we are down the application checkpoints and its WAL goes away: the next start compares pages.
        Write("PRAGMA wal_checkpoint(TRUNCATE);\n");
        File.Delete(_db + "-wal");
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            // Nothing of the unpublished file is taken for published: the next file is a full one.
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: true);
        }
        await AssertEveryTxidRestores();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_change_of_the_same_size_made_while_we_were_down_without_a_wal_is_captured(bool stateKept)
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
        }
        // One row rewritten in place (same page count), then the application checkpoints and its WAL goes away.
        Write("UPDATE t SET tag = 'changed while down' WHERE id = 1;\nPRAGMA wal_checkpoint(TRUNCATE);\n");
        File.Delete(_db + "-wal");
        if (!stateKept)
        {
            File.Delete(PageStateFile.PathIn(_meta));
        }
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            var write = capture.Sync(DateTimeOffset.UtcNow)!;
            Assert.Equal(!stateKept, write.Plan.IsSnapshot);
            Assert.Equal(stateKept, write.Plan.ByComparison);
            Record(write, snapshot: !stateKept);
        }
        await AssertEveryTxidRestores();
    }

    public void Dispose() => _dir.Dispose();

    private void Write(string sql) => Sqlite3.Execute(_db, sql);

    // With the full check, the capture also gives the database's checksum as SQLite read it at that TXID.
    private void Record(CaptureWrite? write, bool? snapshot, string? dump = null)
    {
        Assert.NotNull(write);
        Assert.Empty(write.Failures);
        if (snapshot is { } expected)
        {
            Assert.Equal(expected, write.Plan.IsSnapshot);
        }
        _history.Add((write.Plan.Txid, dump ?? Sqlite3.Dump(_db), write.SqliteChecksum));
    }

    private async Task AssertEveryTxidRestores()
    {
        var replica = new FileReplicaClient(_meta);
        foreach (var (txid, dump, checksum) in _history)
        {
            var output = _dir.File($"restored-{txid}.db");
            var plan = await RestorePlanner.PlanAsync(replica, new RestoreTarget(txid, null), CancellationToken.None);
            await DatabaseRestorer.RestoreAsync(replica, plan, output, IntegrityCheckMode.Full, false, CancellationToken.None);
            if (checksum is not null)
            {
                Assert.True(checksum == Sqlite.PageChecksum.OfDatabaseFile(output), $"TXID {txid}: SQLite's checksum of the source differs from the restored database's");
            }
            Assert.Equal(dump, Sqlite3.Dump(output));
        }
    }
}
