using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica.File;
using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.TestSupport;

/// <summary>
/// Writes an LTX replica of a database file that real sqlite3 changes between calls: the first <see cref="Capture"/>
/// writes a snapshot (TXID 1), each later one an L0 file with the pages that changed, plus any growth pages, exactly
/// as the daemon shapes them. The database must be in rollback-journal mode so its file holds every committed page.
/// </summary>
public sealed class ReplicaWriter(string databasePath, string replicaDirectory, LtxPageEncoding encoding = LtxPageEncoding.SizePrefixedBlock)
{
    private byte[]? _previous;
    private uint _pageSize;

    public FileReplicaClient Client { get; } = new(replicaDirectory);

    public ulong Txid { get; private set; }

    /// <summary>Writes the next L0 file; returns its TXID, or null when no page changed.</summary>
    public ulong? Capture(DateTimeOffset? timestamp = null)
    {
        var current = File.ReadAllBytes(databasePath);
        if (_previous is null)
        {
            _pageSize = PageSizeOf(current);
        }
        var commit = (uint)(current.Length / _pageSize);
        var previousCommit = _previous is null ? 0 : (uint)(_previous.Length / _pageSize);
        var lockPgno = SqlitePages.LockPgno(_pageSize);
        var changed = new List<uint>();
        for (uint pgno = 1; pgno <= commit; pgno++)
        {
            if (pgno == lockPgno)
            {
                continue;
            }
            if (pgno > previousCommit || !Page(current, pgno).SequenceEqual(Page(_previous!, pgno)))
            {
                changed.Add(pgno);
            }
        }
        if (changed.Count == 0)
        {
            return null;
        }
        var txid = Txid + 1;
        var time = timestamp ?? DateTimeOffset.UtcNow;
        using (var buffer = new MemoryStream())
        {
            using (var encoder = new LtxEncoder(buffer, LtxHeader.Create(_pageSize, commit, txid, txid, time), encoding))
            {
                foreach (var pgno in changed)
                {
                    encoder.WritePage(pgno, Page(current, pgno));
                }
                encoder.Finish();
            }
            buffer.Position = 0;
            Client.WriteAsync(0, txid, txid, buffer, DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds()), CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        _previous = current;
        Txid = txid;
        return txid;
    }

    private ReadOnlySpan<byte> Page(byte[] file, uint pgno) => file.AsSpan((int)((pgno - 1) * _pageSize), (int)_pageSize);

    private static uint PageSizeOf(byte[] database)
    {
        var raw = (uint)((database[16] << 8) | database[17]);
        return raw == 1 ? 65536 : raw;
    }
}
