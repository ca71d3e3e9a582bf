using Akka.Actor;
using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Actors.Database;

/// <summary>
/// Turns a capture plan into an L0 file in the local store: written as a temp file, fsynced, checked against the
/// database as SQLite shows it at that TXID, then renamed into place (docs/capture.md). Runs on the I/O dispatcher.
/// </summary>
public sealed class LtxEncoderActor : ReceiveActor
{
    public LtxEncoderActor()
    {
        Receive<Encode>(message =>
        {
            try
            {
                Sender.Tell(new Encoded(message.Capture.Write(message.Plan, DateTimeOffset.UtcNow, message.FullCheck)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Storage.StorageException or Microsoft.Data.Sqlite.SqliteException)
            {
                Sender.Tell(new EncodeFailed(message.Plan, e.Message));
            }
        });
        Receive<PruneThrough>(message =>
        {
            message.Store.DeleteThrough(message.Txid);
            Sender.Tell(new LocalFiles(message.Store.Sizes()));
        });
    }

    public static Props Props() => Akka.Actor.Props.Create<LtxEncoderActor>().WithDispatcher(Dispatchers.Io);

    /// <summary>
    /// Write the plan's file; with <see cref="FullCheck"/> compare every page with SQLite's. The capture is lent, not
    /// shared: its owner waits for the reply before touching it, and it carries the one database-file handle that must
    /// outlive every read (closing another would drop SQLite's locks).
    /// </summary>
    public sealed record Encode(L0Plan Plan, DatabaseCapture Capture, bool FullCheck);

    /// <summary>The file is published (a full one if the plan's failed its check).</summary>
    public sealed record Encoded(CaptureWrite Written);

    /// <summary>Every replica holds the local L0 files up to this TXID: delete them (the newest always stays).</summary>
    public sealed record PruneThrough(LocalLtxStore Store, ulong Txid);

    public sealed record EncodeFailed(L0Plan Plan, string Reason);

    /// <summary>The local L0 files left after pruning, each TXID with its size (for the local disk budget).</summary>
    public sealed record LocalFiles(IReadOnlyList<(ulong Txid, long Bytes)> Files);
}
