using Akka.Actor;

namespace LitestreamActors.Actors.Supervision;

/// <summary>A stop or unregister request, answered once the database's actor has terminated; the TXID its final sync reached.</summary>
internal sealed record PendingStop(IActorRef ReplyTo, bool Unregister, ulong? Txid);
