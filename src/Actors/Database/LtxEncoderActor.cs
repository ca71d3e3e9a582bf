using Akka.Actor;
using LitestreamActors.Storage.Capture;

namespace LitestreamActors.Actors.Database;

/// <summary>Turns a capture plan into an L0 file in the local store (temp, fsync, rename). Runs on the I/O dispatcher.</summary>
public sealed class LtxEncoderActor : ReceiveActor
{
    public LtxEncoderActor()
    {
        Receive<Encode>(message =>
        {
            try
            {
                message.Capture.Write(message.Plan, DateTimeOffset.UtcNow);
                Sender.Tell(new Encoded(message.Plan));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Storage.StorageException)
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
    /// Write the plan's file. The capture is lent, not shared: its owner waits for the reply before touching it, and
    /// it carries the one database-file handle that must outlive every read (closing another would drop SQLite's locks).
    /// </summary>
    public sealed record Encode(L0Plan Plan, DatabaseCapture Capture);

    public sealed record Encoded(L0Plan Plan);

    /// <summary>Every replica holds the local L0 files up to this TXID: delete them (the newest always stays).</summary>
    public sealed record PruneThrough(LocalLtxStore Store, ulong Txid);

    public sealed record EncodeFailed(L0Plan Plan, string Reason);

    /// <summary>The local L0 files left after pruning, each TXID with its size (for the local disk budget).</summary>
    public sealed record LocalFiles(IReadOnlyList<(ulong Txid, long Bytes)> Files);
}
