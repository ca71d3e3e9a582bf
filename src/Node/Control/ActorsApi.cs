using Akka.Actor;
using LitestreamActors.Actors.Control;
using LitestreamActors.Actors.Inspection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LitestreamActors.Node.Control;

/// <summary>
/// <c>/actors</c> of the control API: the actor tree of this node, or with <c>node</c> of another cluster member
/// (its inspector asked over remoting), from <c>path</c> (default <c>/user</c>) down <c>depth</c> levels (default 10).
/// </summary>
public sealed class ActorsApi(ActorSystem system, IActorRef inspector, bool clustered)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/actors", async (string? path, int? depth, string? node) =>
    {
        if (depth is < 0)
        {
            return ControlApi.Error(ControlErrorKind.Invalid, "depth must be 0 or more");
        }
        if (node is not null && !clustered)
        {
            return ControlApi.Error(ControlErrorKind.Conflict, "this node is not in a cluster (its config has no cluster: section)");
        }
        var request = new InspectorActor.GetTree(path, depth ?? 10);
        object reply;
        try
        {
            reply = node is null
                ? await inspector.Ask<object>(request, AskTimeout)
                : await system.ActorSelection($"{MemberAddress(node)}/user/inspector").Ask<object>(request, AskTimeout);
        }
        catch (AskTimeoutException)
        {
            return ControlApi.Error(ControlErrorKind.Timeout, $"no answer from {node ?? "this node"} within {AskTimeout.TotalSeconds:0}s");
        }
        return reply switch
        {
            InspectorActor.Tree tree => Results.Json(tree.Root, ControlApi.JsonOptions),
            InspectorActor.NotFound missing => ControlApi.Error(ControlErrorKind.NotFound, $"no actor at {missing.Path}"),
            _ => ControlApi.Error(ControlErrorKind.Invalid, $"unexpected answer {reply.GetType().Name}"),
        };
    });

    private string MemberAddress(string node) => node.Contains("://", StringComparison.Ordinal) ? node.TrimEnd('/') : $"akka.tcp://{system.Name}@{node}";
}
