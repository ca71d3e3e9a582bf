using Akka.Actor;
using Akka.TestKit.Xunit2;
using LitestreamActors.Actors.Database;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Replica;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Actors.Tests;

/// <summary>
/// A WAL reader stopped while its encoder writes a file (the node downed, a lease lost) keeps no page state: the pages
/// it read for that file are in its checksums but in no published file (docs/capture.md, "Restarts").
/// </summary>
public sealed class WalReaderStopTests : TestKit, IDisposable
{
    private readonly TempDirectory _dir = new();

    public WalReaderStopTests() : base(ActorTestConfig.Hocon)
    {
    }

    [Fact]
    public void A_reader_stopped_while_its_file_is_being_written_keeps_no_page_state_and_the_next_start_writes_a_full_file()
    {
        var db = _dir.File("app.db");
        Sqlite3.Execute(db, RandomRows.Schema + RandomRows.Inserts(new Random(5), 10));
        var settings = new DatabaseSettings(db, [new ReplicaSettings("file", new ReplicaEndpoint("file", null, _dir.File("replica")))]);
        var meta = settings.ResolvedMetaPath;
        using (var capture = DatabaseCapture.Open(db, meta, TimeSpan.FromSeconds(1)))
        {
            Assert.NotNull(capture.Sync(DateTimeOffset.UtcNow));
        }
        var published = new LocalLtxStore(meta).List()[^1];
        Assert.NotNull(PageStateFile.Read(meta, published));

        Sqlite3.Execute(db, RandomRows.Inserts(new Random(6), 20));
        var encoder = CreateTestProbe();
        var reader = Sys.ActorOf(WalReaderActor.Props(settings, encoder.Ref, new CaptureHeartbeat()));
        reader.Tell(new WalReaderActor.Capture());
        encoder.ExpectMsg<LtxEncoderActor.Begin>(TimeSpan.FromSeconds(10));
        // Every page of the file read and handed over; the encoder never says it is written.
        encoder.FishForMessage(m => m is LtxEncoderActor.Pages { Last: true }, TimeSpan.FromSeconds(10));
        Watch(reader);
        Sys.Stop(reader);
        ExpectTerminated(reader, TimeSpan.FromSeconds(10));

        Assert.Null(PageStateFile.Read(meta, published));
        Sqlite3.Execute(db, "PRAGMA wal_checkpoint(TRUNCATE);\n");
        using (var capture = DatabaseCapture.Open(db, meta, TimeSpan.FromSeconds(1)))
        {
            var next = capture.Sync(DateTimeOffset.UtcNow, fullCheck: true);
            Assert.NotNull(next);
            Assert.True(next.Plan.IsSnapshot, "the next file after a stop mid-file is a full one");
            Assert.Empty(next.Failures);
        }
    }

    public new void Dispose()
    {
        base.Dispose();
        _dir.Dispose();
    }
}
