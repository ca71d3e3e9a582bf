using LitestreamActors.Storage.Restore;
using LitestreamActors.Storage.Sqlite;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>A database streamed back by a node (restore -cluster): kept only when its checksum and integrity hold.</summary>
public sealed class StreamedDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData(1024)]
    [InlineData(65536)]
    public async Task A_streamed_database_with_the_sent_checksum_is_written_whole(int pageSize)
    {
        var source = Source(pageSize);
        var output = _dir.File("out.db");
        await using (var stream = File.OpenRead(source))
        {
            var pages = await StreamedDatabase.WriteAsync(stream, output, PageChecksum.OfDatabaseFile(source), false, CancellationToken.None);
            Assert.Equal(new FileInfo(source).Length / pageSize, pages);
        }
        Assert.Equal(Sqlite3.Dump(source), Sqlite3.Dump(output));
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public async Task A_wrong_checksum_or_a_short_stream_leaves_nothing()
    {
        var source = Source(4096);
        var output = _dir.File("out.db");
        await using (var stream = File.OpenRead(source))
        {
            var e = await Assert.ThrowsAsync<RestoreException>(() => StreamedDatabase.WriteAsync(stream, output, 0x8000000000000001, false, CancellationToken.None));
            Assert.Contains("differs from the node's", e.Message, StringComparison.Ordinal);
        }
        var bytes = await File.ReadAllBytesAsync(source);
        using (var cut = new MemoryStream(bytes, 0, bytes.Length - 100))
        {
            var e = await Assert.ThrowsAsync<RestoreException>(() => StreamedDatabase.WriteAsync(cut, output, PageChecksum.OfDatabaseFile(source), false, CancellationToken.None));
            Assert.Contains("ended inside page", e.Message, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".tmp"));
    }

    public void Dispose() => _dir.Dispose();

    private string Source(int pageSize)
    {
        var path = _dir.File($"source-{pageSize}.db");
        Sqlite3.Execute(path, $"PRAGMA page_size = {pageSize}; PRAGMA journal_mode = wal;" + RandomRows.Schema + RandomRows.Inserts(new Random(pageSize), 300) + "PRAGMA wal_checkpoint(TRUNCATE);");
        return path;
    }
}
