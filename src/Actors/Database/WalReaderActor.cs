using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Storage;
using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// Owns the connections to the application's database (the read transaction always held) and its capture position.
/// On <see cref="Capture"/> it plans what SQLite's newest snapshot adds, has the encoder write, check and publish it
/// (every page compared with SQLite's once per full-check interval), then checkpoints when upstream's thresholds say
/// so. One cycle at a time; replies go to the database actor. At a monitor tick (from the node's
/// <see cref="MonitorClockActor"/>) it looks at both files' stamps and asks the database actor for a capture only when
/// they changed or something is due; otherwise it leaves the clock a <see cref="QuietWindow"/> to answer the next ticks
/// with (docs/capture.md, "Idle databases"). Runs on the I/O dispatcher.
/// </summary>
public sealed class WalReaderActor : ReceiveActor, IWithStash
{
    private readonly DatabaseSettings _settings;
    private readonly IActorRef _encoder;
    private readonly CaptureHeartbeat _heartbeat;
    private readonly MonitorRegistration _monitor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DatabaseCapture? _capture;
    private DateTimeOffset _lastCheckpoint = DateTimeOffset.UtcNow;
    private DateTimeOffset _nextFullCheck;
    private ulong _txidAtLastCheckpoint;
    private IActorRef _requester = ActorRefs.Nobody;
    // The file being encoded: its pages still to read, whether they are all read, batches the encoder has not written.
    private IEnumerator<(uint Pgno, byte[] Page)>? _pages;
    private bool _pagesRead;
    private int _pageSize;
    private int _pagesLeft;
    private int _batchesInFlight;
    private bool _fullCheck;
    private List<CaptureCheckFailure> _failures = [];
    private string? _lastFailure;
    // The file our connections read, and the TXID the next capture's full L0 file must follow: the replaced file's last,
    // or what a replica of another lineage holds when that was found before the capture opened.
    private FileIdentity? _identity;
    private ulong? _continueAfter;

    public WalReaderActor(DatabaseSettings settings, IActorRef encoder, CaptureHeartbeat heartbeat)
    {
        _settings = settings;
        _encoder = encoder;
        _heartbeat = heartbeat;
        _monitor = new MonitorRegistration(Self, settings.Path, settings.MonitorInterval, heartbeat);
        Idle();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(DatabaseSettings settings, IActorRef encoder, CaptureHeartbeat heartbeat) =>
        Akka.Actor.Props.Create(() => new WalReaderActor(settings, encoder, heartbeat)).WithDispatcher(Dispatchers.Io);

    protected override void PreStart() => MonitorClock.Of(Context.System).Tell(new MonitorClockActor.Register(_monitor));

    private const int BatchesInFlight = 3;

    // Every other message may change what a quiet tick assumed (a capture, a continuation, a checkpoint): the window is
    // withdrawn, and the next tick comes here.
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is not MonitorTick)
        {
            _monitor.Window = null;
        }
        return base.AroundReceive(receive, message);
    }

    protected override void PostStop()
    {
        MonitorClock.Of(Context.System).Tell(new MonitorClockActor.Unregister(_monitor));
        _pages?.Dispose();
        _capture?.Dispose();
    }

    private void Idle()
    {
        Receive<MonitorTick>(_ =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var now = DateTimeOffset.UtcNow;
            _monitor.Window = null;
            if (NeedsCapture(QuietStamp.Take(_settings.Path, now.UtcDateTime), now))
            {
                Context.Parent.Tell(CaptureDue.Instance);
                return;
            }
            _heartbeat.Beat(now);
            var txid = _capture!.Position?.Txid ?? 0;
            Context.System.EventStream.Publish(Events.SyncObserved.Quiet(_settings.Path, started, txid));
            // Until the files move or something falls due, the clock answers the ticks (docs/capture.md, "Idle databases").
            _monitor.Window = new QuietWindow(_capture.Quiet!, txid, AttendAt());
        });
        Receive<Capture>(message =>
        {
            _requester = Sender;
            try
            {
                // One stat of each file per tick: the database's stamp also says whether another file took its name.
                var stamp = QuietStamp.Take(_settings.Path, DateTime.UtcNow);
                CloseIfReplaced(stamp.Database?.Identity);
                if (!EnsureOpen())
                {
                    _requester.Tell(new CaptureDone($"the database file {_settings.Path} does not exist"));
                    return;
                }
                var plan = _capture!.Plan(stamp, trustQuiet: !message.Thorough);
                if (plan is null)
                {
                    if (DateTimeOffset.UtcNow >= _nextFullCheck)
                    {
                        CheckPosition();
                    }
                    CheckpointIfDue();
                    _lastFailure = null;
                    _requester.Tell(new CaptureDone(null));
                    return;
                }
                _fullCheck = DateTimeOffset.UtcNow >= _nextFullCheck;
                if (!_fullCheck && Thresholds.FoldInto(plan, IntervalElapsed(DateTimeOffset.UtcNow)) is { } mode)
                {
                    if (Checkpoint(mode, plan))
                    {
                        _lastFailure = null;
                        _requester.Tell(new CaptureDone(null));
                        return;
                    }
                    // The checkpoint failed (no write barrier within the busy timeout, say): the capture goes on without it.
                    if ((plan = _capture.Plan()) is null)
                    {
                        _requester.Tell(new CaptureDone(null));
                        return;
                    }
                }
                _failures = [];
                Become(Encoding);
                StartFile(plan);
            }
            catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                Fail(e);
            }
        });
        Receive<ContinueAfter>(message =>
        {
            if (_capture is null)
            {
                // Not open yet: the capture starts after it when it opens.
                _continueAfter = Math.Max(_continueAfter ?? 0, message.Txid);
            }
            else
            {
                _capture.ContinueAfter(message.Txid);
            }
        });
    }

    // A capture would find nothing and have nothing due: the files are as quiet as at the last capture that found
    // nothing, the same file has the name, the last capture did not fail, no full check or checkpoint is due.
    private bool NeedsCapture(QuietStamp stamp, DateTimeOffset now)
    {
        if (_capture is not { } capture || _lastFailure is not null || stamp.Database?.Identity != _identity || !capture.LooksQuiet(stamp))
        {
            return true;
        }
        return now >= _nextFullCheck || DueCheckpoint(now) is not null;
    }

    // The encoder writes the file from the pages this actor reads and sends; this actor then checks and publishes it.
    private void Encoding()
    {
        // A capture is running: the tick has nothing to add.
        Receive<MonitorTick>(_ => { });
        Receive<LtxEncoderActor.PagesWritten>(_ =>
        {
            _batchesInFlight--;
            SendPages();
        });
        Receive<LtxEncoderActor.Encoded>(message =>
        {
            CaptureWrite? written;
            try
            {
                written = _capture!.Publish(message.Plan, message.TempPath, _fullCheck, _failures);
            }
            catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                File.Delete(message.TempPath);
                Abandon(Supervision.ErrorMessages.Chain(e));
                return;
            }
            if (written is null)
            {
                // The file failed its check and was not published: a full file of the same TXID replaces it.
                StartFile(_capture.FullPlan(message.Plan));
                return;
            }
            if (written.SqliteChecksum is not null)
            {
                FullCheckPassed(written.Plan.Txid);
            }
            Report(written);
            CheckpointIfDue();
            _lastFailure = null;
            _requester.Tell(new CaptureDone(null));
            BecomeIdle();
        });
        Receive<LtxEncoderActor.EncodeFailed>(message => Abandon($"writing L0 file: {message.Reason}"));
        ReceiveAny(_ => Stash.Stash());
    }

    private void StartFile(L0Plan plan)
    {
        _pages?.Dispose();
        _pages = _capture!.PagesOf(plan).GetEnumerator();
        _pageSize = (int)plan.PageSize;
        _pagesLeft = plan.PageCount;
        _pagesRead = false;
        _batchesInFlight = 0;
        _encoder.Tell(new LtxEncoderActor.Begin(plan, _capture.Store, DateTimeOffset.UtcNow));
        SendPages();
    }

    // A few batches in flight: this actor reads the next while the encoder compresses and writes the others; memory
    // stays bounded (BatchesInFlight runs of L0FileWriter.RunBytes).
    private void SendPages()
    {
        PageRun? batch = null;
        try
        {
            while (!_pagesRead && _batchesInFlight < BatchesInFlight)
            {
                batch = new PageRun(_pageSize, (int)Math.Min(L0FileWriter.RunBytes, (long)Math.Max(1, _pagesLeft) * _pageSize));
                while (!batch.IsFull && (_pagesRead = !_pages!.MoveNext()) == false)
                {
                    var (pgno, page) = _pages.Current;
                    batch.Add(pgno, page);
                }
                _pagesLeft -= batch.Count;
                _batchesInFlight++;
                _encoder.Tell(new LtxEncoderActor.Pages(batch, _pagesRead));
                batch = null;
            }
        }
        catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            batch?.Dispose();
            Abandon(Supervision.ErrorMessages.Chain(e));
        }
        if (_pagesRead)
        {
            _pages?.Dispose();
            _pages = null;
        }
    }

    // Nothing of this cycle is published: the encoder drops its file, the capture keeps its position.
    private void Abandon(string reason)
    {
        _encoder.Tell(new LtxEncoderActor.Abort());
        _pages?.Dispose();
        _pages = null;
        _capture?.Abandon();
        Fail(reason);
        BecomeIdle();
    }

    private void BecomeIdle()
    {
        Become(Idle);
        Stash.UnstashAll();
    }

    private bool EnsureOpen()
    {
        if (_capture is not null)
        {
            return true;
        }
        if (!File.Exists(_settings.Path))
        {
            return false;
        }
        _identity = FileIdentity.Of(_settings.Path);
        _capture = DatabaseCapture.Open(_settings.Path, _settings.ResolvedMetaPath, _settings.BusyTimeout);
        if (_continueAfter is { } txid)
        {
            _capture.ContinueAfter(txid);
            _continueAfter = null;
        }
        _txidAtLastCheckpoint = _capture.Position?.Txid ?? 0;
        _nextFullCheck = DateTimeOffset.UtcNow + _settings.FullCheckInterval;
        if (_capture.SwitchedToWal)
        {
            _log.Info("switched database to WAL mode path={0}", _settings.Path);
        }
        _log.Info("initialized db path={0} txid={1:x16}", _settings.Path, _capture.Position?.Txid ?? 0);
        Context.Parent.Tell(new Opened(_capture.Position?.Txid));
        return true;
    }

    // A database restored over, or deleted and created again, is a new file: our connections still read the old one,
    // so they are closed, and the new file is captured whole at the next TXID, never mixed with the old pages. A path
    // that names no file for now (deleted, its folder moved away) changes nothing until a file is there again.
    private void CloseIfReplaced(FileIdentity? current)
    {
        if (_capture is not { } capture || current is not { } now || now == _identity)
        {
            return;
        }
        var txid = capture.Position?.Txid ?? 0;
        _log.Warning("database file replaced path={0}: another file now has its name; the next L0 file is a full copy of it after TXID {1:x16}",
            _settings.Path, txid);
        _capture = null;
        _continueAfter = Math.Max(_continueAfter ?? 0, txid);
        capture.Dispose();
    }

    private CheckpointThresholds Thresholds => new(_settings.MinCheckpointPageCount, _settings.TruncatePageCount);

    private bool IntervalElapsed(DateTimeOffset now) => now - _lastCheckpoint >= _settings.CheckpointInterval;

    private void CheckpointIfDue()
    {
        if (DueCheckpoint(DateTimeOffset.UtcNow) is { } mode)
        {
            Checkpoint(mode);
        }
    }

    // When a quiet database next needs the reader with no write: its full check, or its timed checkpoint when one is due
    // once the interval has passed.
    private DateTimeOffset AttendAt()
    {
        var checkpointAt = DueCheckpoint(DateTimeOffset.MaxValue) is null || DateTimeOffset.MaxValue - _lastCheckpoint <= _settings.CheckpointInterval
            ? DateTimeOffset.MaxValue
            : _lastCheckpoint + _settings.CheckpointInterval;
        return checkpointAt < _nextFullCheck ? checkpointAt : _nextFullCheck;
    }

    private CheckpointMode? DueCheckpoint(DateTimeOffset now)
    {
        var changed = (_capture!.Position?.Txid ?? 0) > _txidAtLastCheckpoint;
        return _capture.CheckpointDue(Thresholds, changed && IntervalElapsed(now));
    }

    // Whatever was committed before it (with the plan not written yet) is captured under its write barrier and
    // reported; false: it failed (logged).
    private bool Checkpoint(CheckpointMode mode, L0Plan? planned = null)
    {
        var now = DateTimeOffset.UtcNow;
        var started = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<CaptureWrite> checkpointed;
        try
        {
            checkpointed = _capture!.Checkpoint(mode, now, planned);
        }
        catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // What was captured is published; only the copy into the database did not happen, so the WAL grows meanwhile.
            Context.System.EventStream.Publish(new Events.CheckpointObserved(_settings.Path, CheckpointName(mode), started.Elapsed, Failed: true));
            _log.Warning("checkpoint failed path={0} mode={1}: {2}; the WAL keeps growing until one succeeds", _settings.Path, mode, e.Message);
            return false;
        }
        Context.System.EventStream.Publish(new Events.CheckpointObserved(_settings.Path, CheckpointName(mode), started.Elapsed, Failed: false));
        foreach (var written in checkpointed)
        {
            Report(written);
        }
        _lastCheckpoint = now;
        _txidAtLastCheckpoint = _capture.Position?.Txid ?? 0;
        _log.Info("checkpoint path={0} mode={1}", _settings.Path, mode);
        return true;
    }

    // An idle database gets its full check too, against what is published; restore drills get SQLite's checksum.
    private void CheckPosition()
    {
        if (_capture!.CheckPosition() is not { } check)
        {
            return;
        }
        if (check.Problem is { } problem)
        {
            _log.Error("capture check failed path={0} txid={1:x16} check=full: {2}; the next L0 file is a full one", _settings.Path, check.Txid, problem);
            Context.System.EventStream.Publish(new Events.CaptureCheckFailed(_settings.Path, "full", check.Txid, problem));
            return;
        }
        FullCheckPassed(check.Txid);
        _requester.Tell(new PositionChecked(check.Txid, check.SqliteChecksum));
    }

    private void FullCheckPassed(ulong txid)
    {
        _nextFullCheck = DateTimeOffset.UtcNow + _settings.FullCheckInterval;
        _log.Info("capture check passed path={0} txid={1:x16} check=full", _settings.Path, txid);
    }

    private void Report(CaptureWrite written)
    {
        foreach (var failure in written.Failures)
        {
            _log.Error("capture check failed path={0} txid={1:x16} check={2}: {3}; the file was not published, a full L0 file replaces it",
                _settings.Path, failure.Txid, failure.Form, failure.Problem);
            Context.System.EventStream.Publish(new Events.CaptureCheckFailed(_settings.Path, failure.Form, failure.Txid, failure.Problem));
        }
        var plan = written.Plan;
        if (plan.IsSnapshot)
        {
            _log.Info("wrote full L0 file path={0} txid={1:x16} pages={2}", _settings.Path, plan.Txid, plan.PageCount);
        }
        else if (plan.ByComparison)
        {
            _log.Info("the WAL did not continue the newest L0 file; wrote only the pages that differ from it path={0} txid={1:x16} pages={2}",
                _settings.Path, plan.Txid, plan.PageCount);
        }
        _requester.Tell(new L0Written(plan.Txid, plan.IsSnapshot, plan.PageCount, written.SqliteChecksum) { WalBytes = plan.WalSize });
    }

    private static string CheckpointName(CheckpointMode mode) => mode.ToString().ToUpperInvariant();

    // One record per failure: a capture failing again for the same reason is not logged again (the status shows it).
    private void Fail(Exception e) => Fail(Supervision.ErrorMessages.Chain(e));

    private void Fail(string reason)
    {
        if (reason != _lastFailure)
        {
            _log.Warning("capture failed path={0}: {1}", _settings.Path, reason);
            _lastFailure = reason;
        }
        _requester.Tell(new CaptureFailed(reason));
        Become(Idle);
    }

    /// <summary>Capture what was committed since the last cycle; answered by L0Written (zero or more) and CaptureDone.</summary>
    /// <param name="Thorough">Someone waits for this capture (a sync): SQLite is asked even if the files look quiet.</param>
    public sealed record Capture(bool Thorough = false);

    /// <summary>The files changed since the last capture, or a check or checkpoint is due: the database actor asks for a capture.</summary>
    public sealed record CaptureDue
    {
        public static CaptureDue Instance { get; } = new();
    }

    /// <summary>A monitor interval passed (from the node's <see cref="MonitorClockActor"/>).</summary>
    public sealed record MonitorTick
    {
        public static MonitorTick Instance { get; } = new();
    }

    /// <summary>A replica holds TXIDs beyond local state: continue after them with a full L0 file.</summary>
    public sealed record ContinueAfter(ulong Txid);

    /// <summary>The database was opened; capture resumes after <see cref="Txid"/> (null: nothing captured yet).</summary>
    public sealed record Opened(ulong? Txid);

    /// <summary>A new local L0 file; <see cref="SourceChecksum"/> is the database's checksum then as SQLite read it, when the full check ran.</summary>
    public sealed record L0Written(ulong Txid, bool IsFull, int Pages, ulong? SourceChecksum)
    {
        /// <summary>WAL bytes this file was made from.</summary>
        public long WalBytes { get; init; }
    }

    /// <summary>The full check passed at the position: the database's checksum there as SQLite read it.</summary>
    public sealed record PositionChecked(ulong Txid, ulong SourceChecksum);

    /// <summary>The cycle ended; <see cref="Waiting"/> says why nothing could be captured yet, if so.</summary>
    public sealed record CaptureDone(string? Waiting);

    public sealed record CaptureFailed(string Reason);
}
