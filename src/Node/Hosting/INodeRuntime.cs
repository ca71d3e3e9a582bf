using Akka.Actor;
using Microsoft.Extensions.Logging;

namespace LitestreamActors.Node.Hosting;

/// <summary>What runs a node's actors: a local actor system, or a cluster member under Akka.Hosting.</summary>
internal interface INodeRuntime : IAsyncDisposable
{
    ActorSystem System { get; }

    NodeActors Actors { get; }

    ILoggerFactory LoggerFactory { get; }
}
