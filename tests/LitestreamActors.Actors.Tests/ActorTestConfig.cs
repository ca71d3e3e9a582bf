using Akka.Configuration;

namespace LitestreamActors.Actors.Tests;

/// <summary>The actor system the tests of real actors run in: the node's I/O dispatcher on two threads, warnings only.</summary>
public static class ActorTestConfig
{
    public static readonly Config Hocon = ConfigurationFactory.ParseString("""
        litestream.io-dispatcher {
          type = ForkJoinDispatcher
          throughput = 1
          dedicated-thread-pool { thread-count = 2 }
        }
        akka.loglevel = WARNING
        """);
}
