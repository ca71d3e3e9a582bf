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
        var position = Position();
        Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 20) + "COMMIT;\n");

        using var wal = File.OpenRead(Wal);
        var resumed = WalReader.OpenAt(wal, position.Offset)!;
        var range = resumed.ReadCommitted();
        Assert.Equal(position.Offset, range.StartOffset);
        Assert.Equal(wal.Length, range.EndOffset);
        Assert.Null(WalReader.OpenAt(wal, position.Offset + 1));
    }

    [Fact]
    public void Detects_continuation_restart_and_an_unseen_double_restart()
    {
        var random = new Random(1);
        Sqlite3.Execute(_db, "BEGIN;\n" + RandomRows.Inserts(random, 50) + "COMMIT;\n");
        var position = Position();

        Sqlite3.Execute(_db, RandomRows.Inserts(random, 3));
        Assert.Equal(WalContinuity.Continuous, Continuity(position));

        position = Position();
        Sqlite3.Execute(_db, "PRAGMA wal_checkpoint(RESTART);\n" + RandomRows.Inserts(random, 1));
        Assert.Equal(WalContinuity.Restarted, Continuity(position));

        position = Position();
        Sqlite3.Execute(_db, "PRAGMA wal_checkpoint(RESTART);\n" + "BEGIN;\n" + RandomRows.Inserts(random, 60, 2000) + "COMMIT;\n");
        Sqlite3.Execute(_db, "PRAGMA wal_checkpoint(RESTART);\n" + RandomRows.Inserts(random, 1));
        Assert.Equal(WalContinuity.Broken, Continuity(position));
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

    private WalPosition Position()
    {
        using var wal = File.OpenRead(Wal);
        var reader = WalReader.Open(wal)!;
        var range = reader.ReadCommitted();
        return new WalPosition(reader.Header.Salt1, reader.Header.Salt2, range.EndOffset);
    }

    private WalContinuity Continuity(WalPosition position)
    {
        using var wal = File.OpenRead(Wal);
        return WalContinuityCheck.Check(wal, position);
    }
}
