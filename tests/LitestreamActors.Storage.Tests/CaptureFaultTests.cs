using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Restore;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// Wrong pages injected where the capture reads them: the checks against SQLite keep every one of them out of the
/// published files, and a capture that fails part-way leaves nothing behind.
/// </summary>
public sealed class CaptureFaultTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _meta;
    private readonly Random _random = new(23);
    private StalePageSource _source = null!;

    public CaptureFaultTests()
    {
        _db = _dir.File("app.db");
        _meta = _dir.File(".app.db-litestream");
        Sqlite3.Execute(_db, RandomRows.Schema + RandomRows.Inserts(_random, 200));
    }

    [Fact]
    public async Task A_stale_page_1_fails_the_cheap_check_and_a_full_file_is_published_instead()
    {
        using (var capture = Open())
        {
            Assert.True(capture.Sync(DateTimeOffset.UtcNow)!.Plan.IsSnapshot);
            _source.Stale = pgno => pgno == 1;
            Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(_random, 300, 2000) + "COMMIT;\n");
            var write = capture.Sync(DateTimeOffset.UtcNow)!;
            var failure = Assert.Single(write.Failures);
            Assert.Equal(("cheap", 2UL), (failure.Form, failure.Txid));
            Assert.StartsWith("page 1 gives the database size as ", failure.Problem, StringComparison.Ordinal);
            Assert.True(write.Plan.IsSnapshot);
            Assert.Equal(2UL, write.Plan.Txid);
        }
        await AssertRestoresToTheSource();
    }

    [Fact]
    public async Task Stale_pages_the_cheap_check_cannot_see_fail_the_full_check()
    {
        using (var capture = Open())
        {
            var write = RewriteEveryRowWithStalePages(capture, fullCheck: true);
            var failure = Assert.Single(write.Failures);
            Assert.Equal("full", failure.Form);
            Assert.Matches("^the database checksum of our state is [0-9a-f]{16}, SQLite's [0-9a-f]{16}; first difference: page [0-9]+$", failure.Problem);
            Assert.True(write.Plan.IsSnapshot);
            Assert.NotNull(write.SqliteChecksum);
        }
        await AssertRestoresToTheSource();
    }

    [Fact]
    public async Task A_wrong_file_already_published_fails_the_position_check_and_the_restore_drill_then_a_full_file_repairs_it()
    {
        using (var capture = Open())
        {
            var wrong = RewriteEveryRowWithStalePages(capture, fullCheck: false);
            Assert.Empty(wrong.Failures);
            _source.Stale = null;

            var check = capture.CheckPosition()!;
            Assert.Equal(wrong.Plan.Txid, check.Txid);
            Assert.NotNull(check.Problem);
            var drill = await RestoreDrill.RunAsync(new FileReplicaClient(_meta), check.Txid, check.SqliteChecksum, _dir.File("drill.db"), CancellationToken.None);
            Assert.False(drill.Passed);
            Assert.Contains("differs from the source's", drill.Problem, StringComparison.Ordinal);

            var repair = capture.Sync(DateTimeOffset.UtcNow)!;
            Assert.True(repair.Plan.IsSnapshot);
            Assert.Equal(wrong.Plan.Txid + 1, repair.Plan.Txid);
            var proven = capture.CheckPosition()!;
            Assert.Null(proven.Problem);
            Assert.True((await RestoreDrill.RunAsync(new FileReplicaClient(_meta), proven.Txid, proven.SqliteChecksum, _dir.File("drill.db"), CancellationToken.None)).Passed);
        }
        await AssertRestoresToTheSource();
    }

    [Fact]
    public async Task A_capture_that_fails_part_way_leaves_nothing_and_the_next_one_takes_its_place()
    {
        using (var capture = Open())
        {
            capture.Sync(DateTimeOffset.UtcNow);
            var before = capture.Position;
            Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(_random, 100) + "COMMIT;\n");
            _source.FailAfterPages = 2;
            Assert.Throws<IOException>(() => capture.Sync(DateTimeOffset.UtcNow));
            Assert.Equal(before, capture.Position);
            Assert.Equal(["0000000000000001-0000000000000001.ltx"], Directory.GetFiles(capture.Store.L0Directory).Select(Path.GetFileName));

            _source.FailAfterPages = null;
            Sqlite3.Execute(_db, RandomRows.Inserts(_random, 5));
            var write = capture.Sync(DateTimeOffset.UtcNow)!;
            Assert.Equal((2UL, false), (write.Plan.Txid, write.Plan.IsSnapshot));
        }
        await AssertRestoresToTheSource();
    }

    public void Dispose() => _dir.Dispose();

    // Every page but page 1 changes (same sizes, so page 1 does not): the capture is handed their first versions.
    private CaptureWrite RewriteEveryRowWithStalePages(DatabaseCapture capture, bool fullCheck)
    {
        capture.Sync(DateTimeOffset.UtcNow);
        _source.Stale = pgno => pgno != 1;
        Sqlite3.Execute(_db, "UPDATE t SET body = randomblob(length(body));\n");
        return capture.Sync(DateTimeOffset.UtcNow, fullCheck)!;
    }

    private DatabaseCapture Open() =>
        DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(5), database => _source = new StalePageSource(new DatabasePageSource(database)));

    private async Task AssertRestoresToTheSource()
    {
        var replica = new FileReplicaClient(_meta);
        var restored = _dir.File("restored.db");
        var plan = await RestorePlanner.PlanAsync(replica, new RestoreTarget(null, null), CancellationToken.None);
        await DatabaseRestorer.RestoreAsync(replica, plan, restored, IntegrityCheckMode.Full, overwrite: true, CancellationToken.None);
        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(restored));
    }
}
