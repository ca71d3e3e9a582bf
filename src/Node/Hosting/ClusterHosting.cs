using System.Globalization;
using System.Text;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Tools.Singleton;
using Akka.Discovery.KubernetesApi;
using Akka.Hosting;
using Akka.Remote.Hosting;
using LitestreamActors.Actors.Cluster;
using LitestreamActors.Node.Configuration;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// A <c>cluster:</c> section as Akka settings (docs/cluster.md): remoting, clustering with the split brain resolver,
/// and either static seed nodes or seed nodes found through Akka.Discovery (config or the Kubernetes API).
/// </summary>
internal static class ClusterHosting
{
    public static void Configure(AkkaConfigurationBuilder builder, ClusterSettings cluster)
    {
        builder
            .WithRemoting(new RemoteOptions { HostName = cluster.Hostname, Port = cluster.Port, PublicHostName = cluster.PublicHostname })
            .WithClustering(new ClusterOptions { SeedNodes = cluster.Discovery is null ? [.. cluster.SeedNodes] : [] })
            .AddHocon(SplitBrainHocon(cluster.SplitBrain), HoconAddMode.Prepend);
        if (cluster.Discovery is not { } discovery)
        {
            return;
        }
        if (discovery.Method == ClusterDiscovery.Config)
        {
            builder.AddHocon(ConfigDiscoveryHocon(discovery), HoconAddMode.Prepend);
        }
        else
        {
            builder.WithKubernetesDiscovery(discovery.PodLabelSelector);
            // Its settings and extension, our lookup (KubernetesPodDiscovery says why).
            var hocon = new StringBuilder();
            hocon.Append(CultureInfo.InvariantCulture, $"akka.discovery.kubernetes-api.class = {NodeHocon.Quote($"{typeof(KubernetesPodDiscovery).FullName}, {typeof(KubernetesPodDiscovery).Assembly.GetName().Name}")}\n");
            foreach (var (key, value) in new[] { ("pod-namespace", discovery.PodNamespace), ("api-token-path", discovery.ApiTokenPath), ("api-ca-path", discovery.ApiCaPath) })
            {
                if (value is not null)
                {
                    hocon.Append(CultureInfo.InvariantCulture, $"akka.discovery.kubernetes-api.{key} = {NodeHocon.Quote(value)}\n");
                }
            }
            builder.AddHocon(hocon.ToString(), HoconAddMode.Prepend);
        }
        var method = discovery.Method == ClusterDiscovery.Config ? "config" : "kubernetes-api";
        builder.WithActors((system, _) => system.ActorOf(
            DiscoveryJoinActor.Props(method, discovery.ServiceName, cluster.RequiredContactPoints, cluster.Port), "discovery-join"));
    }

    private static string SplitBrainHocon(SplitBrainSettings brain) => $$"""
        akka.cluster {
          downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
          split-brain-resolver {
            active-strategy = {{brain.Strategy}}
            stable-after = {{(long)brain.StableAfter.TotalMilliseconds}}ms
          }
        }
        """;

    /// <summary>
    /// The cluster-wide grant for targets without conditional writes: one coordinator on the oldest node (a cluster
    /// singleton), reached by every node through a proxy at <see cref="ClusterGrantStore.ProxyPath"/>.
    /// </summary>
    public static void StartReplicaGrants(ActorSystem system, TimeSpan leaseTimeToLive)
    {
        system.ActorOf(
            ClusterSingletonManager.Props(GrantCoordinatorActor.Props(leaseTimeToLive), PoisonPill.Instance, ClusterSingletonManagerSettings.Create(system)),
            "replica-grants-coordinator");
        system.ActorOf(ClusterSingletonProxy.Props("/user/replica-grants-coordinator", ClusterSingletonProxySettings.Create(system)), ClusterGrantStore.ProxyPath["/user/".Length..]);
    }

    private static string ConfigDiscoveryHocon(ClusterDiscovery discovery)
    {
        var text = new StringBuilder();
        text.Append("akka.discovery.method = config\n");
        text.Append(CultureInfo.InvariantCulture, $"akka.discovery.config.services.{NodeHocon.Quote(discovery.ServiceName)}.endpoints = [");
        text.AppendJoin(", ", discovery.Endpoints.Select(NodeHocon.Quote));
        text.Append("]\n");
        return text.ToString();
    }
}
