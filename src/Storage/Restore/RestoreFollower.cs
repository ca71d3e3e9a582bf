using System.Buffers;
using System.Globalization;
using LitestreamActors.Storage.IO;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Storage.Restore;

/// <summary>
/// <c>restore -f</c>, as upstream's: applies each new file's pages to the restored database in place, truncates it to
/// the file's commit size, fsyncs, and records the TXID in the sidecar <c>&lt;output&gt;-txid</c> so a restart resumes
/// there. Page 1 is marked rollback-journal mode (bytes 18/19 = 1) with a new change counter, so readers re-read.
/// A file is downloaded and its checksum checked before any of its pages reaches the output (docs/reliability.md).
/// </summary>
public sealed class RestoreFollower(IReplicaClient client, string outputPath)
{
    public string SidecarPath => outputPath + "-txid";

    /// <summary>The TXID recorded by an earlier run, or null.</summary>
    public ulong? RecordedTxid() =>
        File.Exists(SidecarPath) && ulong.TryParse(File.ReadAllText(SidecarPath).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var txid)
            ? txid
            : null;

    /// <summary>Marks page 1 for readers without a WAL and records <paramref name="txid"/> as applied.</summary>
    public void Start(ulong txid)
    {
        using (var handle = File.OpenHandle(outputPath, FileMode.Open, FileAccess.ReadWrite))
        {
            var header = new byte[28];
            RandomAccess.Read(handle, header, 0);
            MarkPageOne(header);
            RandomAccess.Write(handle, header, 0);
            RandomAccess.FlushToDisk(handle);
        }
        Record(txid);
    }

    /// <returns>The TXID the output holds after applying every file that follows <paramref name="current"/>.</returns>
    public async Task<ulong> ApplyNewAsync(ulong current, CancellationToken cancellationToken)
    {
        var levels = new IReadOnlyList<LtxFileInfo>[LtxFileInfo.SnapshotLevel];
        for (var level = 0; level < LtxFileInfo.SnapshotLevel; level++)
        {
            levels[level] = await client.ListAsync(level, cancellationToken);
        }
        foreach (var file in RestorePlanner.Continuation(levels, current))
        {
            await ApplyAsync(file, cancellationToken);
            current = file.MaxTxid;
            Record(current);
        }
        return current;
    }

    /// <summary>
    /// Makes the output a database of its own (a promoted standby): back in WAL mode, as the replicated database was,
    /// and the TXID record gone, so it is never followed again by mistake.
    /// </summary>
    public void EndFollowing()
    {
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={outputPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = wal";
            var mode = command.ExecuteScalar() as string;
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StorageException($"{outputPath}: SQLite kept journal mode {mode} instead of wal");
            }
        }
        File.Delete(SidecarPath);
        DurableFile.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
    }

    private async Task ApplyAsync(LtxFileInfo file, CancellationToken cancellationToken)
    {
        var copy = outputPath + "-follow.ltx.tmp";
        try
        {
            try
            {
                await DownloadVerifiedAsync(file, copy, cancellationToken);
            }
            catch (LtxFormatException)
            {
                // Bytes can be damaged in flight: the file is read once more, and a second failure is the error.
                await DownloadVerifiedAsync(file, copy, cancellationToken);
            }
            ApplyCopy(file, copy);
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private async Task DownloadVerifiedAsync(LtxFileInfo file, string copy, CancellationToken cancellationToken)
    {
        await using (var input = await OpenedLtxFile.DownloadAsync(client, file, cancellationToken))
        await using (var output = new FileStream(copy, FileMode.Create, FileAccess.Write, FileShare.None, 256 << 10))
        {
            await input.CopyToAsync(output, cancellationToken);
        }
        await using var opened = OpenedLtxFile.OpenCopy(file, copy);
        opened.Decoder.ReadToEnd();
    }

    private void ApplyCopy(LtxFileInfo file, string copy)
    {
        using var opened = OpenedLtxFile.OpenCopy(file, copy);
        var header = opened.Decoder.Header;
        var page = ArrayPool<byte>.Shared.Rent((int)header.PageSize);
        try
        {
            using var handle = File.OpenHandle(outputPath, FileMode.Open, FileAccess.ReadWrite);
            while (opened.Decoder.ReadPage(page.AsSpan(0, (int)header.PageSize), out var pgno))
            {
                if (pgno == 1)
                {
                    MarkPageOne(page);
                }
                RandomAccess.Write(handle, page.AsSpan(0, (int)header.PageSize), (long)(pgno - 1) * header.PageSize);
            }
            RandomAccess.SetLength(handle, (long)header.Commit * header.PageSize);
            RandomAccess.FlushToDisk(handle);
            CrashSwitch.At(CrashSwitch.FollowBeforeRecord);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(page);
        }
    }

    private static void MarkPageOne(Span<byte> page)
    {
        page[18] = 1;
        page[19] = 1;
        System.Security.Cryptography.RandomNumberGenerator.Fill(page.Slice(24, 4));
    }

    private void Record(ulong txid)
    {
        var temp = SidecarPath + ".tmp";
        File.WriteAllText(temp, Txid.Format(txid) + "\n");
        File.Move(temp, SidecarPath, overwrite: true);
        DurableFile.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(outputPath))!);
    }
}
