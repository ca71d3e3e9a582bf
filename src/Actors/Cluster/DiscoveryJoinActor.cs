using Akka.Actor;
using Akka.Discovery;
using Akka.Event;

namespace LitestreamActors.Actors.Cluster;

/// <summary>
/// Joins the cluster through Akka.Discovery (config or the Kubernetes API): looks the service up every second until
/// enough nodes are seen, then hands their addresses to Akka's seed-node process (<see cref="SeedNodeChoice"/>) and
/// stops. Akka.Management's bootstrap would do this over its HTTP endpoint, which cannot start with the Ceen.Httpd
/// served here (docs/cluster.md, "Discovery").
/// </summary>
public sealed class DiscoveryJoinActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _failures;

    public DiscoveryJoinActor(string method, string serviceName, int requiredContactPoints, int defaultPort)
    {
        var discovery = Discovery.Get(Context.System).LoadServiceDiscovery(method);
        var cluster = Akka.Cluster.Cluster.Get(Context.System);
        ReceiveAsync<LookupTick>(async _ =>
        {
            ServiceDiscovery.Resolved resolved;
            try
            {
                resolved = await discovery.Lookup(new Lookup(serviceName), TimeSpan.FromSeconds(3));
            }
            catch (Exception e)
            {
                if (_failures++ % 30 == 0)
                {
                    _log.Warning("cluster discovery ({0}) of {1} failed: {2}", method, serviceName, e.GetBaseException().Message);
                }
                return;
            }
            var seeds = SeedNodeChoice.Choose(resolved.Addresses.Select(a => (a.Host, a.Port)), defaultPort, requiredContactPoints, Context.System.Name);
            if (seeds is null)
            {
                return;
            }
            _log.Info("cluster discovery found {0} nodes; joining through {1}", seeds.Count, string.Join(", ", seeds));
            cluster.JoinSeedNodes(seeds.Select(Address.Parse));
            Timers.Cancel("lookup");
            Context.Stop(Self);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string method, string serviceName, int requiredContactPoints, int defaultPort) =>
        Akka.Actor.Props.Create(() => new DiscoveryJoinActor(method, serviceName, requiredContactPoints, defaultPort));

    protected override void PreStart() => Timers.StartPeriodicTimer("lookup", LookupTick.Instance, TimeSpan.Zero, Interval);

    private sealed record LookupTick
    {
        public static readonly LookupTick Instance = new();
    }
}
