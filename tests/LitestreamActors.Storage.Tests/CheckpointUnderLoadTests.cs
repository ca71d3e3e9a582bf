using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Restore;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>
/// Checkpoints against a writer that never pauses (docs/capture.md): with SQLite's sleeping busy handler the write
/// barrier never got the lock and the WAL grew without bound.
/// </summary>
public sealed class CheckpointUnderLoadTests : IDisposable
{
    private const int Rounds = 5;
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly string _meta;

    public CheckpointUnderLoadTests()
    {
        _db = _dir.File("app.db");
        _meta = _dir.File(".app.db-litestream");
        Sqlite3.Execute(_db, Ledger.Schema);
    }

    [Fact]
    public async Task Every_checkpoint_gets_its_barrier_and_the_wal_restarts_while_a_writer_commits_without_pause()
    {
        using var stop = new CancellationTokenSource();
        var writer = DotNetLedgerWriter.RunAsync(_db, new LedgerLoad(1, int.MaxValue, 1, 1024), stop.Token);
        var restarts = 0;
        using (var capture = DatabaseCapture.Open(_db, _meta, TimeSpan.FromSeconds(1)))
        {
            try
            {
                capture.Sync(DateTimeOffset.UtcNow);
                for (var round = 0; round < Rounds; round++)
                {
                    await Task.Delay(100);
                    Assert.NotNull(capture.Sync(DateTimeOffset.UtcNow));
                    var generation = capture.Position!.Salt1;
                    capture.Checkpoint(CheckpointMode.Passive, DateTimeOffset.UtcNow);
                    // The writer sleeps in its busy handler while the barrier holds it back.
                    Eventually.True(() => capture.Sync(DateTimeOffset.UtcNow) is not null, TimeSpan.FromSeconds(10), () => "nothing committed after the checkpoint");
                    restarts += capture.Position!.Salt1 != generation ? 1 : 0;
                }
            }
            finally
            {
                await stop.CancelAsync();
                await writer;
            }
            capture.Sync(DateTimeOffset.UtcNow);
        }
        Assert.Equal(Rounds, restarts);

        var output = _dir.File("restored.db");
        var replica = new FileReplicaClient(_meta);
        var plan = await RestorePlanner.PlanAsync(replica, new RestoreTarget(null, null), CancellationToken.None);
        await DatabaseRestorer.RestoreAsync(replica, plan, output, IntegrityCheckMode.Full, false, CancellationToken.None);
        Assert.Null(Ledger.Problem(output));
        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(output));
    }

    public void Dispose() => _dir.Dispose();
}
