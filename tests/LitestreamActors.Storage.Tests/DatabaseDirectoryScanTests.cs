using LitestreamActors.Storage.Directories;
using LitestreamActors.Storage.Replica;
using Microsoft.Data.Sqlite;

namespace LitestreamActors.Storage.Tests;

/// <summary>Upstream's dir: + pattern: — which files are databases, and where each one's replica goes.</summary>
public sealed class DatabaseDirectoryScanTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("lsa-dirscan-").FullName;

    [Theory]
    [InlineData("*.db", "app.db", true)]
    [InlineData("*.db", "app.db-wal", false)]
    [InlineData("*.db", "app.sqlite", false)]
    [InlineData("tenant-?.db", "tenant-7.db", true)]
    [InlineData("tenant-?.db", "tenant-17.db", false)]
    [InlineData("[a-c]*.db", "beta.db", true)]
    [InlineData("[a-c]*.db", "delta.db", false)]
    [InlineData("[^a-c]*.db", "delta.db", true)]
    [InlineData("data.*", "data.db", true)]
    [InlineData("\\*.db", "*.db", true)]
    [InlineData("\\*.db", "x.db", false)]
    [InlineData("a.db", "aXdb", false)]
    [InlineData("*", ".hidden", true)]
    public void Patterns_match_base_names_as_upstream(string pattern, string name, bool matches) =>
        Assert.Equal(matches, GlobPattern.Parse(pattern).Matches(name));

    [Theory]
    [InlineData("[a.db", "without its ]")]
    [InlineData("a\\", "lone \\")]
    [InlineData("sub/*.db", "holds a /")]
    [InlineData("", "empty")]
    public void A_broken_pattern_says_what_is_wrong(string pattern, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormatException>(() => GlobPattern.Parse(pattern)).Message, StringComparison.Ordinal);

    [Fact]
    public void Only_files_with_the_sqlite_header_count_and_subfolders_only_when_recursive()
    {
        CreateDatabase("a.db");
        CreateDatabase(Path.Combine("sub", "b.db"));
        CreateDatabase(Path.Combine(".a.db-litestream", "c.db"));
        File.WriteAllText(Path.Combine(_root, "text.db"), "not a database, though long enough");
        File.WriteAllBytes(Path.Combine(_root, "empty.db"), []);
        var pattern = GlobPattern.Parse("*.db");

        Assert.Equal([Path.Combine(_root, "a.db")], DatabaseDirectoryScan.Find(_root, pattern, recursive: false));
        Assert.Equal([Path.Combine(_root, "a.db"), Path.Combine(_root, "sub", "b.db")], DatabaseDirectoryScan.Find(_root, pattern, recursive: true));
        Assert.Empty(DatabaseDirectoryScan.Find(Path.Combine(_root, "missing"), pattern, recursive: true));
        // A file already known is not opened again: only its name is checked.
        var known = new HashSet<string> { Path.Combine(_root, "text.db") };
        Assert.Contains(Path.Combine(_root, "text.db"), DatabaseDirectoryScan.Find(_root, pattern, recursive: false, known));
    }

    [Fact]
    public void A_relative_path_goes_after_the_url_path_before_its_query_or_after_the_configured_path()
    {
        Assert.Equal("s3://bucket/node-1/sub/app.db?endpoint=http://s3:9000",
            new ReplicaEndpoint(string.Empty, "s3://bucket/node-1/?endpoint=http://s3:9000", null).Under("sub/app.db").Url);
        Assert.Equal("s3://bucket/app.db", new ReplicaEndpoint(string.Empty, "s3://bucket", null).Under("app.db").Url);
        Assert.Equal("file:///backups/my%20app.db", new ReplicaEndpoint(string.Empty, "file:///backups", null).Under("my app.db").Url);
        Assert.Equal("/backups/sub/app.db", new ReplicaEndpoint("file", null, "/backups").Under("sub/app.db").Path);
        Assert.Equal("prefix/app.db", new ReplicaEndpoint("s3", null, "prefix") { Options = new Dictionary<string, string> { ["bucket"] = "b" } }.Under("app.db").Path);
    }

    [Fact]
    public void A_database_this_process_replicates_is_not_opened_by_a_scan()
    {
        var db = Path.Combine(_root, "app.db");
        TestSupport.Sqlite3.Execute(db, "PRAGMA journal_mode = wal; CREATE TABLE t(x);");
        using var session = Capture.SqliteSession.Open(db, TimeSpan.FromSeconds(5));

        Assert.Equal([db], DatabaseDirectoryScan.Find(_root, GlobPattern.Parse("*.db"), recursive: false));
        // Had the scan opened and closed the file, SQLite's locks of this process would be gone: the sqlite3 process,
        // closing the last connection it could see, would checkpoint and delete the WAL under our read transaction.
        TestSupport.Sqlite3.Execute(db, "INSERT INTO t VALUES (1);");
        Assert.True(File.Exists(db + "-wal"), "the WAL was deleted under the session");
        Assert.True(Capture.OpenDatabases.Contains(db));
        session.Dispose();
        Assert.False(Capture.OpenDatabases.Contains(db));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void CreateDatabase(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t(x)";
        command.ExecuteNonQuery();
    }
}
