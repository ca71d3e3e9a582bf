using Akka.Actor;
using Akka.Event;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Actors.Cluster;

/// <summary>
/// The cluster-wide stand-in for <c>lock.json</c> on backends without conditional writes (SFTP, WebDAV, S3 servers that
/// ignore preconditions): one instance per cluster (a cluster singleton), holding each target's lease record in memory
/// with the same conditional create and replace a backend gives, so <see cref="ReplicaLease"/> works unchanged over it.
/// A coordinator that starts (the singleton moved after its node left or was downed) knows no holder: for one lease
/// lifetime it grants nothing new and accepts renewals of leases it does not know, so a holder from the previous
/// coordinator keeps its lease and nobody else gets one before it could have expired (docs/cluster.md).
/// </summary>
public sealed class GrantCoordinatorActor : ReceiveActor
{
    private const string Starting = "the cluster grant coordinator (starting)";
    private readonly Dictionary<string, (LeaseRecord Record, string Version)> _leases = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _warmUntil;
    private long _versions;

    public GrantCoordinatorActor(TimeSpan timeToLive)
    {
        _warmUntil = DateTimeOffset.UtcNow + timeToLive;
        Context.GetLogger().Info("cluster grant coordinator started; new grants from {0:yyyy-MM-ddTHH:mm:ssZ}", _warmUntil.UtcDateTime);
        Receive<Read>(message => Sender.Tell(_leases.TryGetValue(message.Target, out var held)
            ? new State(held.Record, held.Version)
            : Warming ? new State(new LeaseRecord(Starting, _warmUntil), Starting) : new State(null, null)));
        Receive<Create>(message =>
        {
            if (Warming || _leases.ContainsKey(message.Target))
            {
                Sender.Tell(new Written(null));
                return;
            }
            Sender.Tell(new Written(Store(message.Target, message.Record)));
        });
        Receive<Replace>(message =>
        {
            var known = _leases.TryGetValue(message.Target, out var held);
            // Unknown while warming: a holder from the previous coordinator renewing (or taking the "starting" record once it ran out).
            var accepted = known ? held.Version == message.Version : Warming || message.Version == Starting;
            Sender.Tell(new Written(accepted ? Store(message.Target, message.Record) : null));
        });
    }

    private bool Warming => DateTimeOffset.UtcNow < _warmUntil;

    public static Props Props(TimeSpan timeToLive) => Akka.Actor.Props.Create(() => new GrantCoordinatorActor(timeToLive));

    private string Store(string target, LeaseRecord record)
    {
        var version = (++_versions).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _leases[target] = (record, version);
        return version;
    }

    public sealed record Read(string Target);

    public sealed record Create(string Target, LeaseRecord Record);

    public sealed record Replace(string Target, LeaseRecord Record, string Version);

    public sealed record State(LeaseRecord? Record, string? Version);

    public sealed record Written(string? Version);
}
