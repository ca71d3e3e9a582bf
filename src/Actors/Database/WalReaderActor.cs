using Akka.Actor;
using Akka.Event;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Storage;
using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// Owns the connection to the application's database (the long-lived read transaction) and its capture position.
/// On <see cref="Capture"/> it plans the newly committed frames, has the encoder write them, then checkpoints when
/// upstream's thresholds say so. One cycle at a time; replies go to the database actor. Runs on the I/O dispatcher.
/// </summary>
public sealed class WalReaderActor : ReceiveActor, IWithStash
{
    private readonly DatabaseSettings _settings;
    private readonly IActorRef _encoder;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DatabaseCapture? _capture;
    private DateTimeOffset _lastCheckpoint = DateTimeOffset.UtcNow;
    private ulong _txidAtLastCheckpoint;
    private IActorRef _requester = ActorRefs.Nobody;

    public WalReaderActor(DatabaseSettings settings, IActorRef encoder)
    {
        _settings = settings;
        _encoder = encoder;
        Idle();
    }

    public IStash Stash { get; set; } = null!;

    public static Props Props(DatabaseSettings settings, IActorRef encoder) =>
        Akka.Actor.Props.Create(() => new WalReaderActor(settings, encoder)).WithDispatcher(Dispatchers.Io);

    protected override void PostStop() => _capture?.Dispose();

    private void Idle()
    {
        Receive<Capture>(_ =>
        {
            _requester = Sender;
            try
            {
                if (!EnsureOpen())
                {
                    _requester.Tell(new CaptureDone($"waiting for the database file {_settings.Path}"));
                    return;
                }
                var plan = _capture!.Plan();
                if (plan is null)
                {
                    CheckpointIfDue();
                    _requester.Tell(new CaptureDone(null));
                    return;
                }
                _encoder.Tell(new LtxEncoderActor.Encode(plan, _capture));
                Become(Encoding);
            }
            catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                Fail(e);
            }
        });
        Receive<ContinueAfter>(message => _capture?.ContinueAfter(message.Txid));
    }

    private void Encoding()
    {
        Receive<LtxEncoderActor.Encoded>(message =>
        {
            try
            {
                _capture!.Advance(message.Plan);
                Report(message.Plan);
                CheckpointIfDue();
                _requester.Tell(new CaptureDone(null));
            }
            catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                Fail(e);
            }
            BecomeIdle();
        });
        Receive<LtxEncoderActor.EncodeFailed>(message =>
        {
            _requester.Tell(new CaptureFailed($"writing L0 file {message.Plan.Txid:x16}: {message.Reason}"));
            BecomeIdle();
        });
        ReceiveAny(_ => Stash.Stash());
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
        _capture = DatabaseCapture.Open(_settings.Path, _settings.ResolvedMetaPath, _settings.BusyTimeout);
        _txidAtLastCheckpoint = _capture.Position?.Txid ?? 0;
        if (_capture.SwitchedToWal)
        {
            _log.Info("switched database to WAL mode path={0}", _settings.Path);
        }
        _log.Info("initialized db path={0} txid={1:x16}", _settings.Path, _capture.Position?.Txid ?? 0);
        Context.Parent.Tell(new Opened(_capture.Position?.Txid));
        if (_settings.TracksChecksums && _capture.Position is not null)
        {
            // Restore drills compare with the source: after a resume its checksum is read once, under a write barrier.
            var started = DateTimeOffset.UtcNow;
            foreach (var written in _capture.TrackChecksums(started))
            {
                Report(written);
            }
            _log.Info("read db for restore drills path={0} duration={1}ms", _settings.Path, (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds);
        }
        return true;
    }

    private void CheckpointIfDue()
    {
        var now = DateTimeOffset.UtcNow;
        var changed = (_capture!.Position?.Txid ?? 0) > _txidAtLastCheckpoint;
        var mode = _capture.CheckpointDue(
            _settings.MinCheckpointPageCount, _settings.TruncatePageCount, changed && now - _lastCheckpoint >= _settings.CheckpointInterval);
        if (mode is null)
        {
            return;
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyList<L0Plan> checkpointed;
        try
        {
            checkpointed = _capture.Checkpoint(mode.Value, now);
        }
        catch
        {
            Context.System.EventStream.Publish(new Events.CheckpointObserved(_settings.Path, CheckpointName(mode.Value), started.Elapsed, Failed: true));
            throw;
        }
        Context.System.EventStream.Publish(new Events.CheckpointObserved(_settings.Path, CheckpointName(mode.Value), started.Elapsed, Failed: false));
        foreach (var written in checkpointed)
        {
            Report(written);
        }
        _lastCheckpoint = now;
        // The checkpoint's own counter bump is the next TXID; it is not a change of the application's.
        _txidAtLastCheckpoint = (_capture.Position?.Txid ?? 0) + 1;
        _log.Info("checkpoint path={0} mode={1}", _settings.Path, mode.Value);
    }

    private void Report(L0Plan plan)
    {
        if (plan.IsSnapshot)
        {
            _log.Info("wrote full L0 file path={0} txid={1:x16} pages={2}", _settings.Path, plan.Txid, plan.PageCount);
        }
        var checksum = _capture!.Position?.Txid == plan.Txid ? _capture.DatabaseChecksum : null;
        _requester.Tell(new L0Written(plan.Txid, plan.IsSnapshot, plan.PageCount, checksum) { WalBytes = Math.Max(0, plan.WalSize - plan.WalOffset) });
    }

    private static string CheckpointName(CheckpointMode mode) => mode.ToString().ToUpperInvariant();

    private void Fail(Exception e)
    {
        _log.Warning("capture failed path={0}: {1}", _settings.Path, e.Message);
        _requester.Tell(new CaptureFailed(e.Message));
        Become(Idle);
    }

    /// <summary>Capture what was committed since the last cycle; answered by L0Written (zero or more) and CaptureDone.</summary>
    public sealed record Capture;

    /// <summary>A replica holds TXIDs beyond local state: continue after them with a full L0 file.</summary>
    public sealed record ContinueAfter(ulong Txid);

    /// <summary>The database was opened; capture resumes after <see cref="Txid"/> (null: nothing captured yet).</summary>
    public sealed record Opened(ulong? Txid);

    public sealed record L0Written(ulong Txid, bool IsFull, int Pages, ulong? SourceChecksum)
    {
        /// <summary>WAL bytes this file was made from.</summary>
        public long WalBytes { get; init; }
    }

    /// <summary>The cycle ended; <see cref="Waiting"/> says why nothing could be captured yet, if so.</summary>
    public sealed record CaptureDone(string? Waiting);

    public sealed record CaptureFailed(string Reason);
}
