using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Restore;
using LitestreamActors.Storage.V3;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Storage.Tests;

/// <summary>Litestream 0.3 backups: the fixture the real 0.3.13 wrote restores exactly; a gap or a broken segment is one clear error.</summary>
public sealed class V3RestoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task The_fixture_written_by_litestream_0_3_13_restores_to_its_final_dump()
    {
        var client = new FileReplicaClient(Path.Combine(RepositoryPaths.V3Fixture, "replica"));
        var backup = await V3Backup.ListAsync(client, CancellationToken.None);
        Assert.Equal(["452d739b0fbf6e5d"], backup.Generations);
        var plan = V3RestorePlanner.Plan(backup, new V3RestoreTarget(null));
        Assert.Equal(1u, plan.Snapshot.Index);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (uint)i), plan.Segments.Select(s => s.Index).Distinct());

        var output = _dir.File("restored.db");
        var result = await V3Restorer.RestoreAsync(client, plan, output, IntegrityCheckMode.Full, false, CancellationToken.None);
        Assert.Equal(0x0cu, result.Index);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.V3Fixture, "expected", "final.sql")), Sqlite3.Dump(output));

        // 0.3's -index: up to WAL index 5 only, a state before the end.
        var partial = await V3Restorer.RestoreAsync(
            client, V3RestorePlanner.Plan(backup, new V3RestoreTarget(null, Index: 5)), _dir.File("partial.db"), IntegrityCheckMode.Full, false, CancellationToken.None);
        Assert.Equal(5u, partial.Index);
        Assert.NotEqual(Sqlite3.Dump(output), Sqlite3.Dump(partial.OutputPath));
    }

    [Fact]
    public async Task A_missing_wal_index_or_a_corrupt_segment_is_one_error_naming_it_and_leaves_nothing()
    {
        var replica = _dir.File("replica");
        DirectoryCopy.Copy(Path.Combine(RepositoryPaths.V3Fixture, "replica"), replica);
        var client = new FileReplicaClient(replica);
        var wal = Path.Combine(replica, "generations", "452d739b0fbf6e5d", "wal");

        File.Delete(Path.Combine(wal, "00000005_00000000.wal.lz4"));
        File.Delete(Path.Combine(wal, "00000005_00001038.wal.lz4"));
        var gap = Assert.Throws<RestoreException>(() => V3RestorePlanner.Plan(V3Backup.ListAsync(client, CancellationToken.None).Result, new V3RestoreTarget(null)));
        Assert.Contains("WAL index 00000005 is missing", gap.Message, StringComparison.Ordinal);

        var victim = Path.Combine(wal, "00000003_00001038.wal.lz4");
        var bytes = await File.ReadAllBytesAsync(victim);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(victim, bytes);
        var backup = await V3Backup.ListAsync(client, CancellationToken.None);
        var output = _dir.File("out.db");
        var corrupt = await Assert.ThrowsAsync<RestoreException>(() =>
            V3Restorer.RestoreAsync(client, V3RestorePlanner.Plan(backup, new V3RestoreTarget(null, Index: 4)), output, IntegrityCheckMode.Full, false, CancellationToken.None));
        Assert.Contains("00000003_00001038.wal.lz4", corrupt.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path, "out.db*"));
    }

    public void Dispose() => _dir.Dispose();
}
