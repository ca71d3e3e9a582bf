using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Hosting;
using Akka.Persistence.Sql.Hosting;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Logging;
using LitestreamActors.Node.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Hosting;

/// <summary>A node with a <c>cluster:</c> section: the actor tree inside an Akka.Cluster member, under Akka.Hosting.</summary>
internal sealed class ClusterNodeRuntime : INodeRuntime
{
    private readonly IHost _host;

    private ClusterNodeRuntime(IHost host, NodeActors actors)
    {
        _host = host;
        Actors = actors;
    }

    public ActorSystem System => _host.Services.GetRequiredService<ActorSystem>();

    public NodeActors Actors { get; }

    public ILoggerFactory LoggerFactory => _host.Services.GetRequiredService<ILoggerFactory>();

    public static async Task<ClusterNodeRuntime> StartAsync(
        NodeSettings settings, ClusterSettings cluster, NodeLog nodeLog, NodeMetrics? metrics, string? journalPath, CancellationToken cancellationToken)
    {
        var actors = new TaskCompletionSource<NodeActors>(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = new HostBuilder()
            .ConfigureLogging(logging => NodeLogging.Configure(logging, nodeLog))
            .ConfigureServices(services => services.AddAkka(cluster.Name, builder =>
            {
                builder
                    .AddHocon(NodeHocon.Shared(), HoconAddMode.Prepend)
                    .ConfigureLoggers(loggers =>
                    {
                        loggers.ClearLoggers();
                        loggers.AddLoggerFactory();
                    })
                    .WithActors((system, _) => actors.SetResult(NodeActors.Start(system, settings, metrics, journalPath, "akka.persistence.journal.sql")));
                if (journalPath is not null)
                {
                    // Registrations and stopped databases, in a SQLite journal of the node's own.
                    builder.WithSqlPersistence(
                        NodeHocon.JournalConnectionString(journalPath), LinqToDB.ProviderName.SQLiteMS, PersistenceMode.Journal);
                }
                ClusterHosting.Configure(builder, cluster);
            }))
            .Build();
        await host.StartAsync(cancellationToken);
        return new ClusterNodeRuntime(host, await actors.Task.WaitAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
