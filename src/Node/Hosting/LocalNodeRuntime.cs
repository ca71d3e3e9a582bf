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
    private const string JournalPluginId = "litestream.control-journal";

    /// <summary>The journal plugin's class, as Akka.Persistence.Sql's defaults name it.</summary>
    internal const string JournalClass = "Akka.Persistence.Sql.Journal.SqlWriteJournal, Akka.Persistence.Sql";

    /// <summary>The journal plugin's dispatcher, as Akka.Persistence.Sql's defaults name it.</summary>
    internal const string JournalDispatcher = "akka.persistence.dispatchers.default-plugin-dispatcher";

    private LocalNodeRuntime(ActorSystem system, NodeActors actors, ILoggerFactory loggerFactory)
    {
        System = system;
        Actors = actors;
        LoggerFactory = loggerFactory;
    }

    public ActorSystem System { get; }

    public NodeActors Actors { get; }

    public ILoggerFactory LoggerFactory { get; }

    /// <param name="early">The system, started before the config was read.</param>
    public static async Task<LocalNodeRuntime> StartAsync(
        NodeSettings settings, NodeLog nodeLog, NodeMetrics? metrics, string? journalPath, EarlyLocalActorSystem early)
    {
        var (system, loggerFactory) = await early.TakeAsync(nodeLog);
        if (journalPath is not null)
        {
            // The system started before the journal's path was known. Its plugin's settings are read when the journal's
            // first actor starts, below, from a path of ours: nothing the persistence extensions inject as their own
            // defaults later can shadow it.
            system.Settings.InjectTopLevelFallback(JournalConfig(journalPath));
        }
        return new LocalNodeRuntime(system, NodeActors.Start(system, settings, metrics, journalPath, JournalPluginId), loggerFactory);
    }

    /// <summary>A local actor system logging to <paramref name="loggerFactory"/>.</summary>
    internal static ActorSystem CreateSystem(ILoggerFactory loggerFactory)
    {
        var config = ConfigurationFactory.ParseString(
                $"akka.loggers = [{NodeHocon.Quote(typeof(LoggerFactoryLogger).AssemblyQualifiedName!)}]\nakka.log-config-on-start = off\n")
            .WithFallback(ConfigurationFactory.ParseString(NodeHocon.Shared()));
        var setup = BootstrapSetup.Create().WithConfig(config).And(new LoggerFactorySetup(loggerFactory));
        // Not ActorSystem.Create: given a setup, it also reads the application's .config file for an akka section
        // (System.Configuration and the XML stack, tens of milliseconds of start-up) and then ignores it.
        var system = new Akka.Actor.Internal.ActorSystemImpl(ClusterSettings.DefaultName, config, setup, Akka.Util.Option<Props>.None);
        system.Start();
        return system;
    }

    public async ValueTask DisposeAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);
        LoggerFactory.Dispose();
    }

    // What Akka.Persistence.Sql.Hosting writes for a SQLite journal; the journal falls back to its own defaults for the
    // rest. Its class and dispatcher are constants (a test pins them to the plugin's defaults): read from those defaults,
    // they loaded the persistence assemblies and parsed the plugin's config at every start, journal or not
    // (docs/performance.md, "Start-up").
    internal static Config JournalConfig(string journalPath) => ConfigurationFactory.ParseString($$"""
        {{JournalPluginId}} {
          class = {{NodeHocon.Quote(JournalClass)}}
          plugin-dispatcher = {{NodeHocon.Quote(JournalDispatcher)}}
          connection-string = {{NodeHocon.Quote(NodeHocon.JournalConnectionString(journalPath))}}
          provider-name = {{NodeHocon.Quote(LinqToDB.ProviderName.SQLiteMS)}}
          auto-initialize = on
        }
        """);
}
