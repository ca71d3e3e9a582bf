using LitestreamActors.Storage.Sqlite;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Capture of one database (docs/capture.md): knows the position (from the newest local L0 file), turns what SQLite's
/// next snapshot adds into the next L0 file, checks the file against SQLite before publishing it, and checkpoints as
/// upstream does (PASSIVE at the page threshold or after the interval with changes, TRUNCATE at the emergency size).
/// A capture that fails leaves nothing behind: the position and the read transaction held there stay as they were.
/// Not thread-safe: one owner calls it.
/// </summary>
public sealed class DatabaseCapture : IDisposable
{
    // The full check's copy of the database, read through SQLite.
    private const string ScratchName = "check.db";

    private readonly SqliteSession _session;
    private readonly FileStream _database;
    private readonly ICapturePageSource _pages;
    private readonly PageChecksumTracker _checksums = new();
    // Page 1 as the published files leave it, once a file or a full read carried it.
    private byte[]? _page1;
    private bool _forceSnapshot;
    // A replica holds TXIDs up to here although there is no local file (local state lost or reset): files go on after it.
    private ulong _txidFloor;
    // Whether the read transaction held was begun when the database was exactly at Position (we captured to it, or
    // proved nothing changed): only then does holding it prove what came after. At open, only an unchanged WAL
    // generation proves it; the same size without a WAL does not.
    private bool _heldProven;
    // Where a checkpoint last copied every frame: no need for another until the capture moves on.
    private CapturePosition? _checkpointedAt;
    // Both files as they were before a capture that found nothing new, while that proves the next would find nothing.
    private QuietStamp? _quiet;
    // Page 1 as the file being written carries it (null: the file has no page 1).
    private byte[]? _writingPage1;
    // The checksums hold pages read for a file not published yet: until it is, they describe no published state, and a
    // stop in between must not keep them as the position's (docs/capture.md, "Restarts").
    private bool _readAhead;

    private DatabaseCapture(FileStream database, LocalLtxStore store, SqliteSession session, CapturePosition? position, ICapturePageSource pages)
    {
        _database = database;
        DatabasePath = database.Name;
        Store = store;
        _session = session;
        _pages = pages;
        Position = position;
    }

    public string DatabasePath { get; }

    public LocalLtxStore Store { get; }

    public CapturePosition? Position { get; private set; }

    public bool SwitchedToWal => _session.SwitchedToWal;

    private string ScratchPath => Path.Combine(Store.MetaPath, ScratchName);

    /// <summary>
    /// Opens the database and resumes from the newest local L0 file, if any. <paramref name="pages"/> wraps where
    /// pages are read from (tests inject faults there); by default the database's WAL and file.
    /// </summary>
    public static DatabaseCapture Open(string databasePath, string metaPath, TimeSpan busyTimeout, Func<FileStream, ICapturePageSource>? pages = null)
    {
        if (!File.Exists(databasePath))
        {
            throw new StorageException($"database file not found: {databasePath}");
        }
        // Opened before SQLite's connections and closed after them: closing a descriptor of this file drops our process's locks.
        var database = WalSyncPlanner.OpenShared(databasePath) ?? throw new StorageException($"database file not found: {databasePath}");
        try
        {
            if (!SqliteHeader.IsDatabaseOrEmpty(database))
            {
                throw new NotSqliteException(databasePath);
            }
            var store = new LocalLtxStore(metaPath);
            store.Prepare();
            SqliteBackupReader.DeleteScratch(Path.Combine(metaPath, ScratchName));
            var newest = store.NewestHeader();
            var session = SqliteSession.Open(databasePath, busyTimeout);
            var position = newest is { } header ? CapturePosition.FromHeader(header) : null;
            var capture = new DatabaseCapture(database, store, session, position, (pages ?? (db => new DatabasePageSource(db)))(database))
            {
                _heldProven = position is not null && session.Held is { HasWal: true } held && held.IsAt(position),
            };
            if (position is not null && PageStateFile.Read(metaPath, position.Txid) is { } state && state.PageSize == position.PageSize)
            {
                capture._checksums.Load(state.Pages);
                capture._page1 = state.Page1;
            }
            return capture;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Starts over from a full L0 file at the next TXID (used when a replica is ahead of local state).</summary>
    public void ContinueAfter(ulong txid)
    {
        Position = Position is null ? null : Position with { Txid = Math.Max(Position.Txid, txid) };
        _txidFloor = Math.Max(_txidFloor, txid);
        _forceSnapshot = true;
        _quiet = null;
    }

    /// <summary>
    /// Begins a capture: a read transaction at SQLite's newest snapshot, and the plan of the file up to it. Null when
    /// there is nothing new; otherwise <see cref="Write"/> must follow. With <paramref name="trustQuiet"/> false SQLite
    /// is asked even when both files look as they did at a capture that found nothing (a sync someone waits for).
    /// </summary>
    public L0Plan? Plan(bool trustQuiet = true) => Plan(QuietStamp.Take(DatabasePath, DateTime.UtcNow), trustQuiet);

    /// <summary>The stamp of both files at the last capture that found nothing, once settled; null after a change.</summary>
    public QuietStamp? Quiet => _quiet;

    /// <summary>Whether <paramref name="stamp"/> shows both files as at the last capture that found nothing, so that
    /// <see cref="Plan(QuietStamp, bool)"/> would find nothing either; changes no state.</summary>
    public bool LooksQuiet(QuietStamp stamp) => _quiet is { } quiet && !_forceSnapshot && quiet.Unchanged(stamp);

    /// <summary>As <see cref="Plan(bool)"/>, with both files' stamp taken by the caller just before.</summary>
    public L0Plan? Plan(QuietStamp stamp, bool trustQuiet)
    {
        // Our connections keep reading a file moved or deleted under them; the application at this path would not.
        if (stamp.Database is null)
        {
            throw new StorageException($"the database file {DatabasePath} is gone");
        }
        if (trustQuiet && LooksQuiet(stamp))
        {
            return null;
        }
        _quiet = null;
        var plan = PlanNow();
        if (plan is null && stamp.Settled)
        {
            _quiet = stamp;
        }
        return plan;
    }

    private L0Plan? PlanNow()
    {
        var next = _session.BeginPending();
        try
        {
            var plan = WalSyncPlanner.Plan(_database, Position, HeldAtPosition, next, _forceSnapshot || Position is null);
            if (plan is not null && plan.Txid <= _txidFloor)
            {
                plan = plan with { Txid = _txidFloor + 1 };
            }
            if (plan is { IsSnapshot: true } && !_forceSnapshot && !_readAhead && Position is { } previous && _checksums.IsComplete && _page1 is not null)
            {
                plan = Differences(plan, previous);
            }
            if (plan is null)
            {
                // Holding the read at exactly the position proves the next capture continues it.
                if (Position is { } position && next.IsAt(position))
                {
                    _session.PromotePending();
                    _heldProven = true;
                }
                else
                {
                    _session.AbandonPending();
                }
            }
            return plan;
        }
        catch
        {
            _session.AbandonPending();
            throw;
        }
    }

    /// <summary>
    /// Writes a plan's file, checks it against SQLite at its TXID (with <paramref name="fullCheck"/>, every page) and
    /// publishes it. A file that fails the check is replaced by a full one; a full one that fails it is a capture
    /// error, and nothing is published. The same steps as <see cref="PagesOf"/>, an encoder and <see cref="Publish"/>.
    /// </summary>
    public CaptureWrite Write(L0Plan plan, DateTimeOffset now, bool fullCheck)
    {
        try
        {
            var failures = new List<CaptureCheckFailure>();
            while (true)
            {
                var temp = L0FileWriter.WriteTemp(plan, PagesOf(plan), Store, now);
                if (Publish(plan, temp, fullCheck, failures) is { } written)
                {
                    return written;
                }
                plan = FullPlan(plan);
            }
        }
        catch
        {
            Abandon();
            throw;
        }
    }

    /// <summary>
    /// The pages of a plan's file, in order, read as the enumeration proceeds (the buffer is reused); each also goes
    /// into the state <see cref="Publish"/> checks. Enumerate it to the end before publishing.
    /// </summary>
    public IEnumerable<(uint Pgno, byte[] Page)> PagesOf(L0Plan plan)
    {
        _writingPage1 = null;
        _readAhead = true;
        if (plan.IsSnapshot)
        {
            _checksums.BeginFull();
        }
        foreach (var (pgno, page) in _pages.Read(plan))
        {
            _checksums.Set(pgno, page);
            if (pgno == 1)
            {
                _writingPage1 = page.ToArray();
            }
            yield return (pgno, page);
        }
        _checksums.Truncate(plan.Commit);
    }

    /// <summary>
    /// Checks the plan's file, written to <paramref name="temp"/> from <see cref="PagesOf"/>, against SQLite and
    /// publishes it. Null: it failed the check (added to <paramref name="failures"/>, the temp file deleted) and a full
    /// file of the same TXID must be written instead (<see cref="FullPlan"/>). A full file that fails throws.
    /// </summary>
    public CaptureWrite? Publish(L0Plan plan, string temp, bool fullCheck, List<CaptureCheckFailure> failures)
    {
        var page1 = _writingPage1;
        var problem = CaptureCheck.Problem(plan.Commit, plan.IsSnapshot ? null : Position?.Commit, page1 ?? _page1, page1 is not null, _session.View());
        var form = "cheap";
        ulong? sqliteChecksum = null;
        var published1 = page1 ?? _page1;
        if (problem is null && fullCheck)
        {
            form = "full";
            var check = FullCaptureCheck.Run(_session, _checksums, _pages, _database, plan.Snapshot, published1, ScratchPath);
            (problem, published1) = (check.Problem, check.Page1);
            sqliteChecksum = problem is null ? check.SqliteChecksum : null;
        }
        if (problem is null)
        {
            Store.Commit(temp, plan.Txid);
            CrashSwitch.At(CrashSwitch.L0BeforePosition);
            Position = plan.Position;
            _page1 = published1;
            _forceSnapshot = false;
            _session.PromotePending();
            _heldProven = true;
            _readAhead = false;
            return new CaptureWrite(plan, failures, sqliteChecksum);
        }
        File.Delete(temp);
        _checksums.Invalidate();
        failures.Add(new CaptureCheckFailure(form, plan.Txid, problem));
        if (plan.IsSnapshot)
        {
            throw new StorageException($"the full L0 file {plan.Txid:x16} disagrees with SQLite ({form} check): {problem}");
        }
        return null;
    }

    /// <summary>The full file that replaces a plan whose file failed its check.</summary>
    public L0Plan FullPlan(L0Plan plan) => WalSyncPlanner.Snapshot(plan.Txid, _database, plan.Snapshot);

    /// <summary>A write that will not be published: the pages read for it no longer describe our state.</summary>
    public void Abandon()
    {
        _checksums.Invalidate();
        _session.AbandonPending();
    }

    /// <summary>
    /// The full check of what is already published: every page of the state at <see cref="Position"/> against the
    /// database as SQLite reads it in the read transaction held there (an idle database is checked too, and restore
    /// drills get SQLite's checksum at its TXID). A difference makes the next capture a full L0 file. Null when no
    /// read transaction is held at the position yet.
    /// </summary>
    public PositionCheck? CheckPosition()
    {
        if (!HeldAtPosition || Position is not { } position || _session.Held is not { } held)
        {
            return null;
        }
        var check = FullCaptureCheck.Run(_session, _checksums, _pages, _database, held, _page1, ScratchPath);
        _page1 = check.Page1;
        if (check.Problem is not null)
        {
            _checksums.Invalidate();
            _forceSnapshot = true;
        }
        return new PositionCheck(position.Txid, check.SqliteChecksum, check.Problem);
    }

    /// <summary>Plans, writes and publishes in one step; null when nothing changed.</summary>
    public CaptureWrite? Sync(DateTimeOffset now, bool fullCheck = false) => Plan() is { } plan ? Write(plan, now, fullCheck) : null;

    /// <summary>The checkpoint due now, if any, by upstream's thresholds.</summary>
    public CheckpointMode? CheckpointDue(CheckpointThresholds thresholds, bool intervalElapsedWithChanges) =>
        Position is not null && Position == _checkpointedAt ? null : thresholds.Due(Position, intervalElapsedWithChanges);

    /// <summary>
    /// Checkpoints; everything committed before it is captured first, under a write barrier (the files written are
    /// returned). <paramref name="planned"/>, a plan not written yet, is carried on to the WAL's end under the barrier
    /// and written as one file with what came since (docs/capture.md, "One file per checkpoint").
    /// </summary>
    public IReadOnlyList<CaptureWrite> Checkpoint(CheckpointMode mode, DateTimeOffset now, L0Plan? planned = null)
    {
        var written = new List<CaptureWrite>();
        _quiet = null;
        var complete = _session.Checkpoint(mode, () =>
        {
            var plan = planned is null ? PlanNow() : Extended(planned);
            if (plan is not null)
            {
                written.Add(Write(plan, now, fullCheck: false));
            }
        });
        _checkpointedAt = complete ? Position : null;
        // As upstream, a TRUNCATE is followed by a full L0 file.
        _forceSnapshot |= mode == CheckpointMode.Truncate;
        return written;
    }

    public void Dispose()
    {
        try
        {
            // Kept for the next start, which can then prove what changed while we were down without a full copy.
            if (!_readAhead && _checksums.IsComplete && Position is { } position && _page1 is { } page1)
            {
                new PageStateFile(position.Txid, position.PageSize, page1, _checksums.Pages.ToArray()).Write(Store.MetaPath);
            }
            else if (Directory.Exists(Store.MetaPath))
            {
                File.Delete(PageStateFile.PathIn(Store.MetaPath));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An older state must not outlive a failed write; a folder that is gone holds none.
            if (Directory.Exists(Store.MetaPath))
            {
                File.Delete(PageStateFile.PathIn(Store.MetaPath));
            }
        }
        finally
        {
            _session.Dispose();
            _database.Dispose();
        }
    }

    // The held read at the position keeps SQLite from restarting the WAL, so the planned frames are still there; the
    // plan's own read ends, one at the WAL's end begins. Planned afresh when the WAL did not simply go on.
    private L0Plan? Extended(L0Plan planned)
    {
        var next = _session.BeginPending();
        try
        {
            return WalSyncPlanner.Extend(_database, planned, next) ?? PlanNow();
        }
        catch
        {
            _session.AbandonPending();
            throw;
        }
    }

    // The WAL does not continue the newest file, but we know the state that file claims: compare the database with it
    // page by page. Nothing differs: SQLite's snapshot becomes the position and nothing is written. Otherwise only the
    // pages that differ go into the next file.
    private L0Plan? Differences(L0Plan whole, CapturePosition previous)
    {
        var differing = new HashSet<uint>();
        foreach (var (pgno, page) in _pages.Read(whole))
        {
            if (PageChecksum.Of(pgno, page) != _checksums.PageSum(pgno))
            {
                differing.Add(pgno);
            }
        }
        if (differing.Count == 0 && whole.Commit == previous.Commit)
        {
            Position = whole.Position with { Txid = previous.Txid };
            return null;
        }
        return whole with
        {
            IsSnapshot = false,
            ByComparison = true,
            WalPages = whole.WalPages.Where(p => differing.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value),
            DatabaseFilePages = [.. whole.DatabaseFilePages.Where(differing.Contains)],
        };
    }

    private bool HeldAtPosition => _heldProven && Position is { } position && _session.Held is { } held && held.IsAt(position);
}
