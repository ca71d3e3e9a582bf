namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Capture of one database: holds the SQLite session, knows the position (from the newest local L0 file), turns newly
/// committed WAL frames into the next L0 file, and checkpoints as upstream does (PASSIVE at the page threshold or
/// after the interval with changes, TRUNCATE at the emergency size). Not thread-safe: one owner calls it.
/// </summary>
public sealed class DatabaseCapture : IDisposable
{
    private readonly SqliteSession _session;
    private readonly FileStream _database;
    private bool _expectRestart;
    private bool _forceSnapshot;
    private readonly PageChecksumTracker _checksums = new();

    private DatabaseCapture(FileStream database, LocalLtxStore store, SqliteSession session, CapturePosition? position)
    {
        _database = database;
        DatabasePath = database.Name;
        Store = store;
        _session = session;
        Position = position;
    }

    public string DatabasePath { get; }

    public LocalLtxStore Store { get; }

    public CapturePosition? Position { get; private set; }

    public bool SwitchedToWal => _session.SwitchedToWal;

    /// <summary>Opens the database and resumes from the newest local L0 file, if any.</summary>
    public static DatabaseCapture Open(string databasePath, string metaPath, TimeSpan busyTimeout)
    {
        if (!File.Exists(databasePath))
        {
            throw new StorageException($"database file not found: {databasePath}");
        }
        var store = new LocalLtxStore(metaPath);
        store.Prepare();
        var newest = store.NewestHeader();
        // Opened before SQLite's connection and closed after it: closing a descriptor of this file drops our process's locks.
        var database = WalSyncPlanner.OpenShared(databasePath) ?? throw new StorageException($"database file not found: {databasePath}");
        try
        {
            var session = SqliteSession.Open(databasePath, busyTimeout);
            return new DatabaseCapture(database, store, session, newest is { } header ? CapturePosition.FromHeader(header) : null);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Starts over from a snapshot at the next TXID (used when a replica is ahead of local state).</summary>
    public void ContinueAfter(ulong txid)
    {
        Position = Position is null ? null : Position with { Txid = Math.Max(Position.Txid, txid) };
        _forceSnapshot = true;
    }

    /// <summary>Plans the next L0 file; null when nothing new was committed.</summary>
    public L0Plan? Plan() => WalSyncPlanner.Plan(_database, Position, _expectRestart, _forceSnapshot || Position is null);

    /// <summary>Writes a plan's file into the local store.</summary>
    public void Write(L0Plan plan, DateTimeOffset now) => L0Writer.Write(plan, _database, Store, now, _checksums);

    /// <summary>The source database's checksum at <see cref="Position"/>; null until tracking is complete.</summary>
    public ulong? DatabaseChecksum => _checksums.DatabaseChecksum;

    /// <summary>
    /// Makes <see cref="DatabaseChecksum"/> available after a resume (a first capture is complete by itself): under a
    /// write barrier, captures to the end and reads the whole database once. Returns the files that capture wrote.
    /// </summary>
    public IReadOnlyList<L0Plan> TrackChecksums(DateTimeOffset now)
    {
        var written = new List<L0Plan>();
        if (_checksums.IsComplete || Position is null)
        {
            return written;
        }
        _session.UnderWriteBarrier(() =>
        {
            if (Sync(now) is { } plan)
            {
                written.Add(plan);
            }
            if (!_checksums.IsComplete && WalSyncPlanner.Plan(_database, null, false, forceSnapshot: true) is { } whole)
            {
                _checksums.BeginFull();
                L0Writer.ReadPages(whole, _database, (pgno, page) => _checksums.Set(pgno, page));
                _checksums.Truncate(whole.Commit);
            }
        });
        return written;
    }

    /// <summary>Records that a plan's file was written; the next plan continues from it.</summary>
    public void Advance(L0Plan written)
    {
        Position = written.Position;
        _expectRestart = false;
        _forceSnapshot = false;
    }

    /// <summary>Plans and writes in one step; returns the plan written, or null when nothing changed.</summary>
    public L0Plan? Sync(DateTimeOffset now)
    {
        var plan = Plan();
        if (plan is null)
        {
            return null;
        }
        Write(plan, now);
        Advance(plan);
        return plan;
    }

    /// <summary>The checkpoint due now, if any, by upstream's thresholds.</summary>
    public CheckpointMode? CheckpointDue(int minPages, int truncatePages, bool intervalElapsedWithChanges)
    {
        // The extent captured in the current WAL generation, not the file's length: a restarted WAL keeps its size.
        var pages = Position is { PageSize: > 0 } p && p.WalEnd > Wal.WalHeader.Size
            ? (p.WalEnd - Wal.WalHeader.Size) / (p.PageSize + Wal.WalFrameHeader.Size)
            : 0;
        return pages >= truncatePages ? CheckpointMode.Truncate
            : pages >= minPages || (intervalElapsedWithChanges && pages > 0) ? CheckpointMode.Passive
            : null;
    }

    /// <summary>Checkpoints; every frame committed before it is captured first (the files written are returned).</summary>
    public IReadOnlyList<L0Plan> Checkpoint(CheckpointMode mode, DateTimeOffset now)
    {
        var written = new List<L0Plan>();
        _session.Checkpoint(mode, () =>
        {
            if (Sync(now) is { } plan)
            {
                written.Add(plan);
            }
        });
        _expectRestart = true;
        _forceSnapshot = mode == CheckpointMode.Truncate;
        return written;
    }

    public void Dispose()
    {
        _session.Dispose();
        _database.Dispose();
    }
}
