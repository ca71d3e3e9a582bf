using Akka.Actor;
using LitestreamActors.Storage.Replica.Lease;

namespace LitestreamActors.Actors.Cluster;

/// <summary>
/// A target's lease kept by the cluster's <see cref="GrantCoordinatorActor"/> (reached through its singleton proxy at
/// <see cref="ProxyPath"/>) rather than in storage. An unanswered request fails, and the holder's fence closes at its
/// deadline as when a backend is unreachable.
/// </summary>
public sealed class ClusterGrantStore(ActorSystem system, string target) : IReplicaLeaseStore
{
    public const string ProxyPath = "/user/replica-grants";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public async Task<LeaseState?> ReadAsync(CancellationToken cancellationToken)
    {
        var state = await Proxy.Ask<GrantCoordinatorActor.State>(new GrantCoordinatorActor.Read(target), AskTimeout, cancellationToken);
        return state is { Record: { } record, Version: { } version } ? new LeaseState(record, version) : null;
    }

    public async Task<string?> TryCreateAsync(LeaseRecord record, CancellationToken cancellationToken) =>
        (await Proxy.Ask<GrantCoordinatorActor.Written>(new GrantCoordinatorActor.Create(target, record), AskTimeout, cancellationToken)).Version;

    public async Task<string?> TryReplaceAsync(LeaseRecord record, string version, CancellationToken cancellationToken) =>
        (await Proxy.Ask<GrantCoordinatorActor.Written>(new GrantCoordinatorActor.Replace(target, record, version), AskTimeout, cancellationToken)).Version;

    private ActorSelection Proxy => system.ActorSelection(ProxyPath);
}
