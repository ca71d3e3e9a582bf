using LitestreamActors.Storage.Wal;
using LitestreamActors.TestSupport;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.Storage.Tests;

/// <summary>The WAL reader against WAL files written by the real sqlite3 shell.</summary>
public sealed class WalReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly string _db;
    private readonly SqliteConnection _holder;

    public WalReaderTests()
    {
        _db = _dir.File("app.db");
        Sqlite3.Execute(_db, "PRAGMA journal_mode=WAL;\n" + RandomRows.Schema);
        // An open reader keeps sqlite3's exit from checkpointing and deleting the WAL, as the replicator's does.
        _holder = new SqliteConnection($"Data Source={_db};Pooling=False");
        _holder.Open();
        using var command = _holder.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master";
        command.ExecuteScalar();
    }

    private string Wal => _db + "-wal";

    [Fact]
    public void Committed_frames_applied_to_the_database_file_give_the_live_database()
    {
        var random = new Random(11);
        for (var i = 0; i < 4; i++)
        {
            Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 40) + "COMMIT;\n");
        }
        Sqlite3.Execute(_db, "DELETE FROM t WHERE id % 3 = 0;\n");

        var copy = _dir.File("copy.db");
        File.Copy(_db, copy);
        using (var wal = File.OpenRead(Wal))
        using (var output = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite))
        {
            var reader = WalReader.Open(wal)!;
            var range = reader.ReadCommitted();
            Assert.Equal(wal.Length, range.EndOffset);
            var page = new byte[reader.Header.PageSize];
            foreach (var (pgno, offset) in range.PageOffsets)
            {
                wal.Position = offset + WalFrameHeader.Size;
                wal.ReadExactly(page);
                output.Position = (pgno - 1) * (long)page.Length;
                output.Write(page);
            }
            output.SetLength(range.Commit * (long)page.Length);
        }

        Assert.Equal(Sqlite3.Dump(_db), Sqlite3.Dump(copy));
    }

    [Fact]
    public void Finds_one_commit_frame_per_transaction_and_verifies_checksums()
    {
        var random = new Random(5);
        for (var i = 0; i < 3; i++)
        {
            Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 30) + "COMMIT;\n");
        }
        using var wal = File.OpenRead(Wal);
        var reader = WalReader.Open(wal)!;
        Assert.Equal(WalHeader.MagicLittleEndian, reader.Header.Magic);
        Assert.Equal(4096u, reader.Header.PageSize);
        var commits = new List<WalFrame>();
        var frames = 0;
        var page = new byte[reader.Header.PageSize];
        while (reader.ReadFrame(page, out var frame))
        {
            frames++;
            if (frame.Header.IsCommit)
            {
                commits.Add(frame);
            }
        }
        Assert.Equal(3, commits.Count);
        Assert.Equal((wal.Length - WalHeader.Size) / reader.FrameSize, frames);
    }

    [Fact]
    public void A_damaged_frame_ends_the_log_at_the_last_intact_commit()
    {
        var random = new Random(9);
        Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 5) + "COMMIT;\n");
        long firstCommitEnd;
        using (var wal = File.OpenRead(Wal))
        {
            firstCommitEnd = WalReader.Open(wal)!.ReadCommitted().EndOffset;
        }
        Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 5) + "COMMIT;\n");

        var damaged = _dir.File("damaged-wal");
        var bytes = File.ReadAllBytes(Wal);
        bytes[firstCommitEnd + WalFrameHeader.Size + 100] ^= 0x01;
        File.WriteAllBytes(damaged, bytes);

        using var stream = File.OpenRead(damaged);
        var range = WalReader.Open(stream)!.ReadCommitted();
        Assert.Equal(firstCommitEnd, range.EndOffset);
    }

    [Fact]
    public void Resuming_mid_log_continues_the_checksum_chain()
    {
        var random = new Random(3);
        Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 20) + "COMMIT;\n");
        var position = CommittedEnd();
        Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 20) + "COMMIT;\n");

        using var wal = File.OpenRead(Wal);
        var resumed = WalReader.OpenAt(wal, position)!;
        var range = resumed.ReadCommitted();
        Assert.Equal(position, range.StartOffset);
        Assert.Equal(wal.Length, range.EndOffset);
        Assert.Null(WalReader.OpenAt(wal, position + 1));
    }

    [Fact]
    public void Reads_through_exactly_to_the_snapshot_sqlite_shows_and_nothing_else()
    {
        var random = new Random(1);
        Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 50) + "COMMIT;\n");
        using var session = Capture.SqliteSession.Open(_db, TimeSpan.FromSeconds(5));
        var snapshot = session.BeginPending();
        Sqlite3.Execute(_db, RandomRows.Inserts(random, 3));

        using (var wal = File.OpenRead(Wal))
        {
            var range = WalReader.Open(wal)!.ReadThrough(snapshot.WalEnd, snapshot.PageCount, (snapshot.FrameChecksum1, snapshot.FrameChecksum2));
            Assert.Equal(snapshot.WalEnd, range.EndOffset);
            Assert.True(range.EndOffset < wal.Length);
            Assert.Throws<StorageException>(() => WalReader.Open(wal)!.ReadThrough(snapshot.WalEnd, snapshot.PageCount, (snapshot.FrameChecksum1, snapshot.FrameChecksum2 ^ 1)));
            Assert.Throws<StorageException>(() => WalReader.Open(wal)!.ReadThrough(wal.Length + WalHeader.Size + 4096 + WalFrameHeader.Size, snapshot.PageCount, (snapshot.FrameChecksum1, snapshot.FrameChecksum2)));
        }
        session.PromotePending();
        var next = session.BeginPending();
        Assert.True(next.SameGeneration(snapshot.Salt1, snapshot.Salt2));
        Assert.Equal(new FileInfo(Wal).Length, next.WalEnd);
    }

    [Fact]
    public void A_missing_or_empty_wal_has_no_reader()
    {
        using var empty = new MemoryStream();
        Assert.Null(WalReader.Open(empty));
        using var garbage = new MemoryStream(new byte[64]);
        Assert.Null(WalReader.Open(garbage));
    }

    public void Dispose()
    {
        _holder.Dispose();
        _dir.Dispose();
    }

    private long CommittedEnd()
    {
        using var wal = File.OpenRead(Wal);
        return WalReader.Open(wal)!.ReadCommitted().EndOffset;
    }
}
