using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Storage.Tests;

public sealed class QuietStampTests
{
    private static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);
    private static readonly FileIdentity Database = new(1, 10);
    private static readonly FileIdentity Wal = new(1, 11);

    [Fact]
    public void Files_unchanged_since_a_settled_stamp_are_quiet()
    {
        var before = Stamp(Now, db: At(Database, 4096, Now.AddMinutes(-5)), wal: At(Wal, 8272, Now.AddMinutes(-1)));
        Assert.True(before.Settled);
        Assert.True(before.Unchanged(before with { TakenAt = Now.AddSeconds(30) }));
    }

    [Fact]
    public void A_file_changed_within_the_settling_time_is_not_trusted_even_if_nothing_moves()
    {
        var recent = Stamp(Now, db: At(Database, 4096, Now.AddMinutes(-5)), wal: At(Wal, 8272, Now - QuietStamp.Settle + TimeSpan.FromMilliseconds(1)));
        Assert.False(recent.Settled);
        Assert.False(recent.Unchanged(recent with { TakenAt = Now.AddSeconds(30) }));
    }

    [Fact]
    public void A_change_time_in_the_future_after_the_clock_went_back_is_not_trusted() =>
        Assert.False(Stamp(Now, db: At(Database, 4096, Now.AddHours(1)), wal: null).Settled);

    [Theory]
    [InlineData("wal size")]
    [InlineData("wal change time")]
    [InlineData("wal created")]
    [InlineData("wal deleted")]
    [InlineData("database change time")]
    [InlineData("database replaced")]
    public void Any_write_or_replacement_of_either_file_ends_the_quiet(string change)
    {
        var db = At(Database, 4096, Now.AddMinutes(-5));
        var wal = At(Wal, 8272, Now.AddMinutes(-1));
        var later = Now.AddSeconds(1);
        var (before, after) = change switch
        {
            "wal size" => (Stamp(Now, db, wal), Stamp(later, db, wal with { Size = 12392 })),
            "wal change time" => (Stamp(Now, db, wal), Stamp(later, db, wal with { ChangedNanoseconds = wal.ChangedNanoseconds + 4_000_000 })),
            "wal created" => (Stamp(Now, db, null), Stamp(later, db, wal)),
            "wal deleted" => (Stamp(Now, db, wal), Stamp(later, db, null)),
            "database change time" => (Stamp(Now, db, wal), Stamp(later, db with { ChangedSeconds = db.ChangedSeconds + 301 }, wal)),
            "database replaced" => (Stamp(Now, db, wal), Stamp(later, db with { Identity = new FileIdentity(1, 12) }, wal)),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        Assert.True(before.Settled);
        Assert.False(before.Unchanged(after));
    }

    [Fact]
    public void A_missing_database_is_never_quiet() => Assert.False(Stamp(Now, db: null, wal: null).Settled);

    [Fact]
    public void The_stamp_of_a_real_file_moves_with_a_write_of_the_same_size()
    {
        using var dir = new TestSupport.TempDirectory();
        var path = dir.File("f");
        File.WriteAllBytes(path, new byte[100]);
        var first = FileStamp.Of(path)!.Value;
        Thread.Sleep(20);
        File.WriteAllBytes(path, new byte[100]);
        var second = FileStamp.Of(path)!.Value;
        Assert.Equal(first.Identity, second.Identity);
        Assert.Equal(100, second.Size);
        Assert.NotEqual(first, second);
        Assert.InRange(second.Changed, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
        Assert.Null(FileStamp.Of(dir.File("none")));
    }

    private static QuietStamp Stamp(DateTime takenAt, FileStamp? db, FileStamp? wal) => new(db, wal, takenAt);

    private static FileStamp At(FileIdentity identity, long size, DateTime changed)
    {
        var ticks = (changed - DateTime.UnixEpoch).Ticks;
        return new FileStamp(identity, size, ticks / TimeSpan.TicksPerSecond, ticks % TimeSpan.TicksPerSecond * 100);
    }
}
