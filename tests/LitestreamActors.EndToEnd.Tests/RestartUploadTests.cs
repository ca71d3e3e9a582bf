using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Restarting costs nothing when nothing changed and only the changed pages when something did: SQLite keeps the WAL
/// across our close, and when the application closed last (removing it) or checkpointed it while we were down, the
/// database is compared with the state our newest file claims. Five <c>replicate -once</c> runs, with and without
/// commits between them; every run's restore equals the source.
/// </summary>
public sealed class RestartUploadTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Restarts_upload_nothing_without_changes_and_only_the_changed_pages_with_them()
    {
        var db = _dir.File("app.db");
        var replica = _dir.File("replica");
        var config = _dir.File("litestream.yml");
        File.WriteAllText(config, $"dbs:\n  - path: {db}\n    replica:\n      path: {replica}\n");
        var random = new Random(61);
        Sqlite3.Execute(db, RandomRows.Schema + "BEGIN;\n" + RandomRows.Inserts(random, 3000, 1000) + "COMMIT;\n");

        var full = Run(config, db, replica).Single();
        Assert.True(full.Bytes > 1_000_000, $"the first file holds the database: {full.Bytes} bytes");

        Assert.Empty(Run(config, db, replica));

        // The sqlite3 shell closes last: SQLite checkpoints and removes the WAL.
        Sqlite3.Execute(db, RandomRows.Inserts(random, 5));
        var changed = Run(config, db, replica);
        Assert.True(changed.Sum(f => f.Bytes) < full.Bytes / 10, $"{changed.Sum(f => f.Bytes)} bytes uploaded for 5 rows");

        Assert.Empty(Run(config, db, replica));

        Sqlite3.Execute(db, RandomRows.Inserts(random, 5) + "PRAGMA wal_checkpoint(TRUNCATE);\n" + RandomRows.Inserts(random, 5));
        changed = Run(config, db, replica);
        Assert.True(changed.Sum(f => f.Bytes) < full.Bytes / 10, $"{changed.Sum(f => f.Bytes)} bytes uploaded for 10 rows");
    }

    public void Dispose() => _dir.Dispose();

    // One restart: the L0 files it added to the replica, after checking that the replica restores to the source.
    private List<(string Name, long Bytes)> Run(string config, string db, string replica)
    {
        var before = Files(replica);
        LitestreamCli.Run("replicate", "-once", "-config", config).EnsureSuccess("replicate -once");
        var restored = _dir.File($"restored-{Guid.NewGuid():N}.db");
        LitestreamCli.Run("restore", "-integrity-check", "full", "-o", restored, "file://" + replica).EnsureSuccess("restore");
        Assert.Equal(Sqlite3.Dump(db), Sqlite3.Dump(restored));
        return [.. Files(replica).Except(before)];
    }

    private static List<(string Name, long Bytes)> Files(string replica)
    {
        var level0 = Path.Combine(replica, "ltx", "0");
        return Directory.Exists(level0) ? [.. new DirectoryInfo(level0).GetFiles("*.ltx").Select(f => (f.Name, f.Length))] : [];
    }
}
