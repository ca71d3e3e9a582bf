using System.Globalization;
using System.Text.Json;
using LitestreamActors.TestSupport;

namespace LitestreamActors.EndToEnd.Tests;

/// <summary>
/// Backups made during the test by the real Litestream 0.3.13 — two generations (a checkpoint while it was down
/// starts a new one), several WAL indexes (it checkpoints every second) — to a folder and to S3: our restore
/// picks them automatically and gives the source's exact <c>.dump</c>, latest, by timestamp and by -generation;
/// <c>generations</c>, <c>snapshots</c> and the deprecated <c>wal</c> list them; <c>migrate</c> turns them into LTX files
/// (idempotent, resumable, the old backup kept), after which our replicate carries on and restores reach back across.
/// </summary>
public sealed class V3BackupTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private string _lastProbe = string.Empty;

    [Fact]
    public void Backups_made_by_litestream_0_3_13_restore_exactly_from_a_folder_and_s3()
    {
        var endpoint = Environment.GetEnvironmentVariable("LSA_S3_ENDPOINT")
            ?? throw new InvalidOperationException("LSA_S3_ENDPOINT is not set: run ./test.sh, which starts the test servers");
        Environment.SetEnvironmentVariable("LITESTREAM_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("LITESTREAM_SECRET_ACCESS_KEY", "S3RVER");
        var db = _dir.File("app.db");
        var folder = _dir.File("backup");
        var prefix = $"v3-{Guid.NewGuid():N}/app";
        var s3 = $"s3://lsa-test/{prefix}?endpoint={endpoint}&forcePathStyle=true";
        var config = _dir.File("litestream-0.3.yml");
        File.WriteAllText(config, $"""
            dbs:
              - path: {db}
                monitor-interval: 100ms
                checkpoint-interval: 1s
                replicas:
                  - path: {folder}
                    sync-interval: 100ms
                  - url: s3://lsa-test/{prefix}
                    endpoint: {endpoint}
                    region: us-east-1
                    force-path-style: true
                    access-key-id: S3RVER
                    secret-access-key: S3RVER
                    sync-interval: 100ms
            """);
        Sqlite3.Execute(db, "PRAGMA journal_mode=WAL;\n" + RandomRows.Schema + RandomRows.Inserts(new Random(60), 30));
        var random = new Random(61);

        var first = ReplicateWithLitestream03(config, db, random, 6, folder, s3);
        var between = DateTimeOffset.UtcNow;
        Thread.Sleep(1100);

        // Written and checkpointed while 0.3.13 is down: it starts a new generation when it comes back.
        Sqlite3.Execute(db, RandomRows.Inserts(random, 10) + "PRAGMA wal_checkpoint(TRUNCATE);\n");
        ReplicateWithLitestream03(config, db, random, 3, folder, s3);

        var generations = Directory.GetDirectories(Path.Combine(folder, "generations"));
        Assert.True(generations.Length >= 2, $"{generations.Length} generation(s)");
        Assert.Contains(generations, g => Directory.GetFiles(Path.Combine(g, "wal")).Select(f => Path.GetFileName(f)[..8]).Distinct().Count() >= 2);

        var at = between.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        foreach (var replica in new[] { "file://" + folder, s3 })
        {
            var output = _dir.File($"at-{Guid.NewGuid():N}.db");
            LitestreamCli.Run("restore", "-timestamp", at, "-o", output, replica).EnsureSuccess("restore -timestamp from " + replica);
            Assert.Equal(first, AppDump(output));
        }
        var oldest = generations.Select(g => (Name: Path.GetFileName(g), Created: Directory.GetFiles(Path.Combine(g, "snapshots")).Min(File.GetLastWriteTimeUtc))).MinBy(g => g.Created).Name;
        foreach (var replica in new[] { "file://" + folder, s3 })
        {
            var listed = JsonDocument.Parse(LitestreamCli.Run("generations", "-json", replica).EnsureSuccess("generations").StandardOutput).RootElement;
            Assert.Equal(generations.Select(Path.GetFileName).Order(StringComparer.Ordinal), listed.EnumerateArray().Select(g => g.GetProperty("generation").GetString()));
            var snapshots = JsonDocument.Parse(LitestreamCli.Run("snapshots", "-json", replica).EnsureSuccess("snapshots").StandardOutput).RootElement;
            Assert.True(snapshots.GetArrayLength() >= 2, snapshots.ToString());
            var wal = LitestreamCli.Run("wal", "-json", "-generation", oldest, replica).EnsureSuccess("wal");
            Assert.Contains("deprecated", wal.StandardError, StringComparison.Ordinal);
            var segments = JsonDocument.Parse(wal.StandardOutput).RootElement.EnumerateArray().ToList();
            Assert.True(segments.Count >= 2 && segments.All(w => w.GetProperty("generation").GetString() == oldest), wal.StandardOutput);
        }
        var byGeneration = _dir.File("by-generation.db");
        LitestreamCli.Run("restore", "-generation", oldest, "-o", byGeneration, "file://" + folder).EnsureSuccess("restore -generation");
        Assert.Equal(first, AppDump(byGeneration));

        // migrate: LTX files beside the 0.3 backup; again, nothing; with its newest files lost, just those again.
        var before = OldBackup(folder);
        var migrated = JsonDocument.Parse(LitestreamCli.Run("migrate", "-json", "file://" + folder).EnsureSuccess("migrate").StandardOutput).RootElement;
        var count = migrated.GetProperty("written").GetInt32();
        Assert.True(count > 4, migrated.ToString());
        Assert.Equal(0, JsonDocument.Parse(LitestreamCli.Run("migrate", "-json", "file://" + folder).StandardOutput).RootElement.GetProperty("written").GetInt32());
        foreach (var (min, max) in ReplicaFiles.List(folder, 0).OrderByDescending(f => f.Max).Take(2))
        {
            File.Delete(Path.Combine(folder, "ltx", "0", Storage.Ltx.LtxFileName.Format(min, max)));
        }
        Assert.Equal(2, JsonDocument.Parse(LitestreamCli.Run("migrate", "-json", "file://" + folder).StandardOutput).RootElement.GetProperty("written").GetInt32());
        Assert.Equal(before, OldBackup(folder));

        // Our replicate carries on after the migrated history; restores reach back across the switch.
        var ours = _dir.File("litestream.yml");
        File.WriteAllText(ours, $"dbs:\n  - path: {db}\n    monitor-interval: 100ms\n    replica:\n      path: {folder}\n");
        string now;
        using (var replicate = ReplicateProcess.Start("-config", ours))
        {
            Sqlite3.Execute(db, RandomRows.Inserts(random, 15));
            now = AppDump(db);
            Eventually.True(() => RestoresTo(folder, now), TimeSpan.FromSeconds(60), () => _lastProbe + "\n" + replicate.Output);
            Assert.Equal(0, replicate.Stop());
        }
        var across = _dir.File("across.db");
        LitestreamCli.Run("restore", "-timestamp", at, "-o", across, "file://" + folder).EnsureSuccess("restore -timestamp across the switch");
        Assert.Equal(first, AppDump(across));
        Assert.Equal(now, AppDump(LitestreamVfsRestore(folder)));
    }

    private static string OldBackup(string folder) => string.Join('\n', Directory.GetFiles(Path.Combine(folder, "generations"), "*", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal).Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}"));

    // Litestream 0.5.17's own reader over the migrated and continued replica.
    private string LitestreamVfsRestore(string folder)
    {
        var copy = _dir.File("vfs.sql");
        File.WriteAllText(copy, LitestreamVfs.Dump(folder));
        var db = _dir.File("vfs.db");
        Sqlite3.Execute(db, File.ReadAllText(copy));
        return db;
    }

    public void Dispose() => _dir.Dispose();

    // Commits while the real 0.3.13 replicates, until both its backups restore to the database; returns that state.
    private string ReplicateWithLitestream03(string config, string db, Random random, int commits, string folder, string s3)
    {
        using var theirs = ReplicateProcess.StartExecutable(RepositoryPaths.Litestream03, "-config", config);
        for (var i = 0; i < commits; i++)
        {
            Sqlite3.Execute(db, "BEGIN;\n" + RandomRows.Inserts(random, 20, 500) + "COMMIT;\n");
            Thread.Sleep(400);
        }
        var state = AppDump(db);
        Eventually.True(() => RestoresTo(folder, state) && RestoresTo(s3, state), TimeSpan.FromSeconds(60), () => _lastProbe + "\n" + theirs.Output);
        theirs.Stop();
        return state;
    }

    // 0.3.13 bumps its counter row in _litestream_seq at checkpoints, also after the last write it replicated.
    private static string AppDump(string database) => Sqlite3.AppDump(database);

    private bool RestoresTo(string replica, string dump)
    {
        var output = _dir.File($"probe-{Guid.NewGuid():N}.db");
        var result = LitestreamCli.Run("restore", "-o", output, replica.StartsWith('/') ? "file://" + replica : replica);
        _lastProbe = $"{replica}: exit {result.ExitCode} {result.StandardError}";
        return result.ExitCode == 0 && AppDump(output) == dump;
    }
}
