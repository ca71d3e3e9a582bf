using Akka.Actor;
using LitestreamActors.Actors.Events;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// A wait for each database's first sync, bounded: the control endpoints start then, off the first database's critical
/// path (docs/performance.md, "Start-up").
/// </summary>
internal static class FirstSyncs
{
    /// <summary>Starts the wait; the task completes when every path synced once (or failed to), or after <paramref name="bound"/>.</summary>
    public static Task Await(ActorSystem system, IReadOnlyCollection<string> paths, TimeSpan bound)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (paths.Count == 0)
        {
            done.SetResult();
            return done.Task;
        }
        var actor = system.ActorOf(Props.Create(() => new FirstSyncsActor(paths, bound, done)), "first-syncs");
        // Subscribed before the actor starts: events reach its mailbox from now on. A sync that finished before this is
        // covered by the bound.
        system.EventStream.Subscribe(actor, typeof(SyncObserved));
        return done.Task;
    }
}
