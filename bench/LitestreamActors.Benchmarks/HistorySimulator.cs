using System.Diagnostics;
using System.Globalization;
using LitestreamActors.Storage.Compaction;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Sqlite;
using LitestreamActors.TestSupport;

namespace LitestreamActors.Benchmarks;

/// <summary>
/// Simulates a replica's history at a chosen commit rate without waiting for it: a database's pages as a TXID 1
/// snapshot, then one L0 file per commit rewriting random pages with their own content (so every TXID restores to
/// the source file), timestamped on a simulated clock. Written twice: as L0 only, and through the real compaction
/// and L0 retention code at upstream's default intervals (levels 30s/5m/1h, L0 kept 5m after level 1 covers it).
/// Prints the objects written per simulated hour and the objects each replica holds at the end.
/// </summary>
internal static class HistorySimulator
{
    private static readonly TimeSpan[] Levels = [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromHours(1)];
    private static readonly TimeSpan L0Retention = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(string database, string l0Only, string compacted, int commits, int secondsPerCommit, int pagesPerCommit)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var plain = new FileReplicaClient(l0Only);
        var levels = new FileReplicaClient(compacted);
        var compactor = new LevelCompactor(levels, null, Path.Combine(compacted, "..", "scratch"));
        var retention = new RetentionEnforcer(levels, clock);
        var stopwatch = Stopwatch.StartNew();

        using var source = new FileStream(database, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var pageSize = SnapshotWriter.PageSize(source);
        var commit = (uint)(source.Length / pageSize);
        var lockPgno = SqlitePages.LockPgno(pageSize);
        var baseFile = Path.GetTempFileName();
        SnapshotWriter.Encode(source, baseFile, pageSize, commit, clock.GetUtcNow());
        await WriteBothAsync(baseFile, 1, clock.GetUtcNow());

        var random = new Random(7);
        var page = new byte[pageSize];
        var written = 0;
        var next = Levels.Select(_ => clock.GetUtcNow()).ToArray();
        for (var i = 0; i < commits; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(secondsPerCommit));
            var txid = (ulong)i + 2;
            var pages = Enumerable.Range(0, pagesPerCommit).Select(_ => (uint)random.Next(1, (int)commit + 1)).Where(p => p != lockPgno).Distinct().Order();
            using (var output = new FileStream(baseFile, FileMode.Create, FileAccess.Write))
            using (var encoder = new LtxEncoder(output, LtxHeader.Create(pageSize, commit, txid, txid, clock.GetUtcNow())))
            {
                foreach (var pgno in pages)
                {
                    RandomAccess.Read(source.SafeFileHandle, page, (long)(pgno - 1) * pageSize);
                    encoder.WritePage(pgno, page);
                }
                encoder.Finish();
            }
            await WriteBothAsync(baseFile, txid, clock.GetUtcNow());
            written++;
            for (var level = 1; level <= Levels.Length; level++)
            {
                if (clock.GetUtcNow() - next[level - 1] >= Levels[level - 1])
                {
                    next[level - 1] = clock.GetUtcNow();
                    written += await compactor.CompactAsync(level, CancellationToken.None) is null ? 0 : 1;
                    if (level == 1)
                    {
                        await retention.EnforceLevelRetentionAsync(0, L0Retention, [1], [1, 2, 3, LtxFileInfo.SnapshotLevel], CancellationToken.None);
                    }
                }
            }
        }
        File.Delete(baseFile);

        var hours = commits * (double)secondsPerCommit / 3600;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"simulated {commits} commits, one every {secondsPerCommit}s ({hours:0.#} h), {pagesPerCommit} pages each, in {stopwatch.Elapsed.TotalSeconds:0}s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"objects written per hour: L0 only {(commits + 1) / hours:0}, compacted {written / hours:0}"));
        Console.WriteLine($"objects held at the end: L0 only {await CountAsync(plain)}, compacted {await CountAsync(levels)} ({await ByLevelAsync(levels)})");
        return 0;

        async Task WriteBothAsync(string file, ulong txid, DateTimeOffset at)
        {
            foreach (var client in new[] { plain, levels })
            {
                await using var input = File.OpenRead(file);
                await client.WriteAsync(0, txid, txid, input, at, CancellationToken.None);
            }
            compactor.Note(0, txid);
        }
    }

    private static async Task<int> CountAsync(IReplicaClient client)
    {
        var count = 0;
        for (var level = 0; level <= LtxFileInfo.MaxLevel; level++)
        {
            count += (await client.ListAsync(level, CancellationToken.None)).Count;
        }
        return count;
    }

    private static async Task<string> ByLevelAsync(IReplicaClient client)
    {
        var parts = new List<string>();
        for (var level = 0; level <= LtxFileInfo.MaxLevel; level++)
        {
            if ((await client.ListAsync(level, CancellationToken.None)).Count is > 0 and var count)
            {
                parts.Add($"L{level}: {count}");
            }
        }
        return string.Join(", ", parts);
    }
}
