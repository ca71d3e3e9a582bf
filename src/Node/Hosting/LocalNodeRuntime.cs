using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Hosting.Logging;
using LitestreamActors.Node.Configuration;
using LitestreamActors.Node.Logging;
using LitestreamActors.Node.Metrics;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// A node without a <c>cluster:</c> section: a plain local actor system, no generic host, no dependency injection, no
/// remoting. Starting it loads about 20 fewer assemblies than the cluster member's host (docs/performance.md, "Start-up").
/// </summary>
internal sealed class LocalNodeRuntime : INodeRuntime
{
    private LocalNodeRuntime(ActorSystem system, NodeActors actors, ILoggerFactory loggerFactory)
    {
        System = system;
        Actors = actors;
        LoggerFactory = loggerFactory;
    }

    public ActorSystem System { get; }

    public NodeActors Actors { get; }

    public ILoggerFactory LoggerFactory { get; }

    public static LocalNodeRuntime Start(NodeSettings settings, NodeLog nodeLog, NodeMetrics? metrics, string? journalPath)
    {
        var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(logging => NodeLogging.Configure(logging, nodeLog));
        var config = ConfigurationFactory.ParseString(
                $"akka.loggers = [{NodeHocon.Quote(typeof(LoggerFactoryLogger).AssemblyQualifiedName!)}]\nakka.log-config-on-start = off\n")
            .WithFallback(ConfigurationFactory.ParseString(NodeHocon.Shared()));
        if (journalPath is not null)
        {
            config = JournalConfig(journalPath).WithFallback(config);
        }
        var setup = BootstrapSetup.Create().WithConfig(config).And(new LoggerFactorySetup(loggerFactory));
        var system = ActorSystem.Create(ClusterSettings.DefaultName, setup);
        return new LocalNodeRuntime(system, NodeActors.Start(system, settings, metrics, journalPath), loggerFactory);
    }

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        LoggerFactory.Dispose();
    }

    // What Akka.Persistence.Sql.Hosting writes for a SQLite journal, over the plugin's own defaults.
    private static Config JournalConfig(string journalPath) => ConfigurationFactory.ParseString($$"""
            akka.persistence.journal {
              plugin = "akka.persistence.journal.sql"
              sql {
                connection-string = {{NodeHocon.Quote(NodeHocon.JournalConnectionString(journalPath))}}
                provider-name = {{NodeHocon.Quote(LinqToDB.ProviderName.SQLiteMS)}}
                auto-initialize = on
              }
            }
            """).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
}
