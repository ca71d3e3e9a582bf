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
                await using var file = new FileStream(message.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                var header = new LtxDecoder(file, message.Path).ReadHeader();
                file.Position = 0;
                await client.WriteAsync(0, message.Txid, message.Txid, file, header.Timestamp, CancellationToken.None);
                replica.Tell(new Uploaded(message.Txid));
            }
            catch (Exception e)
            {
                replica.Tell(new UploadFailed(message.Txid, e.Message));
                throw;
            }
        });
    }

    public static Props Props(IReplicaClient client, IActorRef replica) =>
        Akka.Actor.Props.Create(() => new UploaderActor(client, replica)).WithDispatcher(Dispatchers.Io);

    public sealed record Upload(ulong Txid, string Path);

    public sealed record Uploaded(ulong Txid);

    public sealed record UploadFailed(ulong Txid, string Reason);
}
