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
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: true);
            Write(RandomRows.Inserts(_random, 5));
            Record(capture.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);
        }
        await AssertEveryTxidRestores();
    }

    [Fact]
    public async Task A_checkpoint_while_we_were_down_is_answered_with_a_snapshot()
    {
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: true);
            Write(RandomRows.Inserts(_random, 30));
            Record(capture.Sync(DateTimeOffset.UtcNow), snapshot: false);
        }

        Write(RandomRows.Inserts(_random, 30) + "PRAGMA wal_checkpoint(TRUNCATE);\n" + RandomRows.Inserts(_random, 10));

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
        using (var holder = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(1UL, holder.Position!.Txid);
            // Our own reopening bumps the counter table when SQLite removed the WAL at our last close: a change,
            // captured as the next TXID by a full file (a new WAL generation we did not hold continues nothing).
            Record(holder.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: true);
            Write(RandomRows.Inserts(_random, 10));
            Record(holder.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);
            Write("DELETE FROM t;\nVACUUM;\n" + RandomRows.Inserts(_random, 2));
            Record(holder.Sync(DateTimeOffset.UtcNow, fullCheck: true), snapshot: false);
            Assert.All(_history.Skip(1), h => Assert.NotNull(h.Checksum));
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
