using LitestreamActors.Node.Configuration;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using LitestreamActors.Actors.Cluster;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Hooks;
using LitestreamActors.Actors.Inspection;
using LitestreamActors.Actors.Settings;
using LitestreamActors.Actors.Supervision;
using LitestreamActors.Node.Control;
using LitestreamActors.Node.Logging;
using LitestreamActors.Node.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// A running node: the actor tree under Akka.Hosting, in a local ActorSystem (no remoting, no idle cost) unless the
/// config has a <c>cluster:</c> section, in which case the same tree runs inside an Akka.Cluster member.
/// </summary>
public sealed class LitestreamNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly IActorRef _supervisor;
    private NodeEndpoints? _endpoints;

    private LitestreamNode(IHost host, IActorRef supervisor)
    {
        _host = host;
        _supervisor = supervisor;
    }

    /// <param name="version">What <c>/info</c> reports.</param>
    public static async Task<LitestreamNode> StartAsync(NodeSettings settings, string version, NodeLog nodeLog, CancellationToken cancellationToken)
    {
        // Counters only where they can be read: the metrics registry exists when addr serves /metrics.
        var metrics = settings.Control?.Addr is null ? null : new NodeMetrics();
        var dataDirectory = settings.Control?.DataDirectory;
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
        }
        var host = new HostBuilder()
            .ConfigureLogging(logging => NodeLogging.Configure(logging, nodeLog))
            .ConfigureServices(services => services.AddAkka(settings.Cluster?.Name ?? ClusterSettings.DefaultName, builder =>
            {
                builder
                    .AddHocon(Hocon(), HoconAddMode.Prepend)
                    .ConfigureLoggers(loggers =>
                    {
                        loggers.ClearLoggers();
                        loggers.AddLoggerFactory();
                    })
                    .WithActors((system, registry) =>
                    {
                        // Akka's timer wheel starts on its first use, and every caller waits for it on a pool thread:
                        // started here, before hundreds of databases start their timers at once (docs/scale.md).
                        system.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, () => { });
                        if (metrics is not null)
                        {
                            system.ActorOf(MetricsActor.Props(metrics), "metrics");
                        }
                        registry.Register<InspectorActor>(system.ActorOf(InspectorActor.Props(), "inspector"));
                        if (settings.Replication.ExecHooks.Count > 0)
                        {
                            registry.Register<ExecHookActor>(system.ActorOf(ExecHookActor.Props(settings.Replication.ExecHooks), "exec-hooks"));
                        }
                        var journal = dataDirectory is null ? null : new ControlJournal(File.Exists(JournalPath(dataDirectory)));
                        var supervisor = system.ActorOf(
                            LitestreamSupervisor.Props(settings.Replication, endpoint => Metered(Storage.Replica.ReplicaClientFactory.Create(endpoint), metrics), journal),
                            "litestream");
                        registry.Register<LitestreamSupervisor>(supervisor);
                        if (settings.Cluster is not null)
                        {
                            registry.Register<CatalogActor>(system.ActorOf(CatalogActor.Props(supervisor), "catalog"));
                            ClusterHosting.StartReplicaGrants(system, settings.Replication.Ownership.LeaseTimeToLive);
                        }
                    });
                if (dataDirectory is not null)
                {
                    // Registrations and stopped databases, in a SQLite journal of the node's own.
                    builder.WithSqlPersistence(
                        $"Data Source={JournalPath(dataDirectory)}", LinqToDB.ProviderName.SQLiteMS, PersistenceMode.Journal);
                }
                if (settings.Cluster is { } cluster)
                {
                    ClusterHosting.Configure(builder, cluster);
                }
            }))
            .Build();
        await host.StartAsync(cancellationToken);
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var node = new LitestreamNode(host, await registry.GetAsync<LitestreamSupervisor>(cancellationToken));
        if (settings.Control is { } control)
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            var log = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("litestream");
            var cluster = new ClusterApi(system, registry.TryGet<CatalogActor>(out var catalog) ? catalog : null, settings);
            node._endpoints = await NodeEndpoints.StartAsync(
                control, new Mcp.McpToolContext(
                    new ControlApi(node._supervisor, version, cluster, new ActorsApi(system, registry.Get<InspectorActor>(), settings.Cluster is not null)), settings, version), metrics, () => !system.WhenTerminated.IsCompleted, nodeLog, log, cancellationToken);
        }
        return node;
    }

    /// <summary>Completes when the actor system stops on its own: the split brain resolver downed this node.</summary>
    public Task Terminated => _host.Services.GetRequiredService<ActorSystem>().WhenTerminated;

    /// <summary>Captures what is committed and waits for every replica to hold it, within <paramref name="timeout"/>.</summary>
    public Task<LitestreamSupervisor.FinalSyncDone> FinalSyncAsync(TimeSpan timeout) =>
        _supervisor.Ask<LitestreamSupervisor.FinalSyncDone>(new LitestreamSupervisor.FinalSync(timeout), timeout + TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync()
    {
        // The stopped hooks run while the node still logs, bounded by their own timeouts.
        var registry = _host.Services.GetRequiredService<ActorRegistry>();
        if (registry.TryGet<ExecHookActor>(out var hooks))
        {
            await Task.WhenAny(hooks.Ask<ExecHookActor.Stopped>(new ExecHookActor.Stopping()), Task.Delay(TimeSpan.FromMinutes(5)));
        }
        if (_endpoints is not null)
        {
            await _endpoints.DisposeAsync();
        }
        await _host.StopAsync();
        _host.Dispose();
    }

    private static Storage.Replica.IReplicaClient Metered(Storage.Replica.IReplicaClient client, NodeMetrics? metrics) =>
        metrics is null ? client : new MeteredReplicaClient(client, metrics);

    private static string JournalPath(string dataDirectory) => Path.Combine(dataDirectory, "control.db");

    private static string Hocon()
    {
        using var stream = typeof(LitestreamNode).Assembly.GetManifestResourceStream("litestream.hocon")
            ?? throw new InvalidOperationException("litestream.hocon is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
