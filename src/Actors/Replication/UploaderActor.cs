using Akka.Actor;
using LitestreamActors.Storage.Ltx;
using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Replication;

/// <summary>
/// Uploads one local L0 file to the replica per message. A failure is reported to the replica actor, which retries
/// with backoff, and then thrown, so this actor is restarted alone while capture goes on.
/// </summary>
public sealed class UploaderActor : ReceiveActor
{
    public UploaderActor(IReplicaClient client, IActorRef replica)
    {
        ReceiveAsync<Upload>(async message =>
        {
            try
            {
                if (message.AsSnapshot)
                {
                    await UploadSnapshotAsync(client, message);
                }
                // Unbuffered: the header is one read and the copy moves 80 KiB pieces of its own; a stream buffer here was
                // 64 KiB of garbage per upload (docs/scale.md, "What an idle database costs").
                await using var file = new FileStream(message.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
                var header = new LtxDecoder(file, message.Path).ReadHeader();
                file.Position = 0;
                await client.WriteAsync(0, message.Txid, message.Txid, file, header.Timestamp, CancellationToken.None);
                replica.Tell(new Uploaded(message.Txid));
            }
            catch (Exception e)
            {
                replica.Tell(new UploadFailed(message.Txid, Supervision.ErrorMessages.Chain(e)));
                throw new Supervision.AlreadyReportedException(e.Message, e);
            }
        });
    }

    // A replica that restarts from a full L0 file gets it as a snapshot too, so a restore can start there.
    private static async Task UploadSnapshotAsync(IReplicaClient client, Upload message)
    {
        var temp = message.Path + ".snapshot.tmp";
        try
        {
            DateTimeOffset timestamp;
            await using (var output = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                FullFileSnapshot.Write(message.Path, output);
                output.Position = 0;
                timestamp = new LtxDecoder(output, temp).ReadHeader().Timestamp;
                output.Position = 0;
                await client.WriteAsync(LtxFileInfo.SnapshotLevel, 1, message.Txid, output, timestamp, CancellationToken.None);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public static Props Props(IReplicaClient client, IActorRef replica) =>
        Akka.Actor.Props.Create(() => new UploaderActor(client, replica)).WithDispatcher(Dispatchers.Io);

    /// <param name="AsSnapshot">Also upload it as the level 9 snapshot of its TXID (a full file, after a gap).</param>
    public sealed record Upload(ulong Txid, string Path, bool AsSnapshot = false);

    public sealed record Uploaded(ulong Txid);

    public sealed record UploadFailed(ulong Txid, string Reason);
}
