using Akka.Actor;
using LitestreamActors.Storage.Capture;
using LitestreamActors.Storage.Ltx;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// Encodes an L0 file: the WAL reader sends a plan, then its pages in batches as it reads them; the encoder writes
/// them as LTX to a temp file in the local store, fsyncs it and answers with its path. Checking and publishing the
/// file need SQLite's read transaction, which the WAL reader holds (docs/capture.md). Runs on the I/O dispatcher.
/// </summary>
public sealed class LtxEncoderActor : ReceiveActor
{
    private L0FileWriter? _writer;
    private L0Plan? _plan;
    private string _folder = string.Empty;

    public LtxEncoderActor()
    {
        Receive<Begin>(message => Run(() =>
        {
            _writer?.Dispose();
            _plan = message.Plan;
            _folder = message.Store.MetaPath;
            _writer = L0FileWriter.Create(message.Plan, message.Store, message.Timestamp);
        }));
        Receive<Pages>(message => Run(() =>
        {
            using var batch = message.Batch;
            if (_writer is not { } writer)
            {
                return;
            }
            writer.Write(batch);
            if (message.Last)
            {
                // Finished before it is let go: a file that cannot be finished (a full disk) is still disposed below.
                var path = writer.Finish();
                _writer = null;
                Sender.Tell(new Encoded(_plan!, path));
            }
            else
            {
                Sender.Tell(new PagesWritten());
            }
        }));
        Receive<Abort>(_ =>
        {
            _writer?.Dispose();
            _writer = null;
        });
    }

    public static Props Props() => Akka.Actor.Props.Create<LtxEncoderActor>().WithDispatcher(Dispatchers.Io);

    protected override void PostStop() => _writer?.Dispose();

    // A file that cannot be written is reported, not thrown: the WAL reader fails the capture and keeps its position.
    private void Run(Action step)
    {
        try
        {
            step();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Storage.StorageException)
        {
            _writer?.Dispose();
            _writer = null;
            Sender.Tell(new EncodeFailed(Storage.IO.IoProblem.Describe(e, _folder)));
        }
    }

    /// <summary>Start the file of a plan; its pages follow.</summary>
    public sealed record Begin(L0Plan Plan, LocalLtxStore Store, DateTimeOffset Timestamp);

    /// <summary>
    /// The next pages of the file in page order, the run the sender's no longer (the encoder disposes it); answered by <see cref="PagesWritten"/>,
    /// or, after the <see cref="Last"/> batch, by <see cref="Encoded"/>.
    /// </summary>
    public sealed record Pages(PageRun Batch, bool Last);

    public sealed record PagesWritten;

    /// <summary>The file is written and fsynced at <see cref="TempPath"/>, not yet published.</summary>
    public sealed record Encoded(L0Plan Plan, string TempPath);

    public sealed record EncodeFailed(string Reason);

    /// <summary>The file will not be finished: delete what was written.</summary>
    public sealed record Abort;
}
