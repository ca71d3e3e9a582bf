using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Benchmarks;

/// <summary>Writes a database file as an L0 snapshot (TXID 1) into a file replica, streaming, for the restore benchmark.</summary>
internal static class SnapshotWriter
{
    public static async Task<int> RunAsync(string database, string replicaDirectory)
    {
        await using var input = new FileStream(database, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var header = new byte[100];
        input.ReadExactly(header);
        var rawPageSize = (uint)((header[16] << 8) | header[17]);
        var pageSize = rawPageSize == 1 ? 65536u : rawPageSize;
        var commit = (uint)(input.Length / pageSize);
        input.Position = 0;

        var temp = Path.GetTempFileName();
        await using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        using (var encoder = new LtxEncoder(output, LtxHeader.Create(pageSize, commit, 1, 1, DateTimeOffset.UtcNow)))
        {
            var page = new byte[pageSize];
            var lockPgno = SqlitePages.LockPgno(pageSize);
            for (uint pgno = 1; pgno <= commit; pgno++)
            {
                input.ReadExactly(page);
                if (pgno != lockPgno)
                {
                    encoder.WritePage(pgno, page);
                }
            }
            encoder.Finish();
        }
        await using (var snapshot = File.OpenRead(temp))
        {
            await new FileReplicaClient(replicaDirectory).WriteAsync(0, 1, 1, snapshot, DateTimeOffset.UtcNow, CancellationToken.None);
        }
        File.Delete(temp);
        return 0;
    }
}
