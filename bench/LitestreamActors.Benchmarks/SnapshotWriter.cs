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
        var pageSize = PageSize(input);
        var temp = Path.GetTempFileName();
        Encode(input, temp, pageSize, (uint)(input.Length / pageSize), DateTimeOffset.UtcNow);
        await using (var snapshot = File.OpenRead(temp))
        {
            await new FileReplicaClient(replicaDirectory).WriteAsync(0, 1, 1, snapshot, DateTimeOffset.UtcNow, CancellationToken.None);
        }
        File.Delete(temp);
        return 0;
    }

    public static uint PageSize(FileStream database)
    {
        var header = new byte[100];
        RandomAccess.Read(database.SafeFileHandle, header, 0);
        var raw = (uint)((header[16] << 8) | header[17]);
        return raw == 1 ? 65536u : raw;
    }

    /// <summary>Every page of the database as a TXID 1 snapshot in <paramref name="path"/>.</summary>
    public static void Encode(FileStream database, string path, uint pageSize, uint commit, DateTimeOffset timestamp)
    {
        using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var encoder = new LtxEncoder(output, LtxHeader.Create(pageSize, commit, 1, 1, timestamp));
        var page = new byte[pageSize];
        var lockPgno = SqlitePages.LockPgno(pageSize);
        for (uint pgno = 1; pgno <= commit; pgno++)
        {
            if (pgno != lockPgno)
            {
                RandomAccess.Read(database.SafeFileHandle, page, (long)(pgno - 1) * pageSize);
                encoder.WritePage(pgno, page);
            }
        }
        encoder.Finish();
    }
}
