using Akka.Actor;
using LitestreamActors.Actors.Events;

namespace LitestreamActors.Node.Hosting;

/// <summary>Stops, completing its task, once each of the given databases finished its first capture (or failed it), or when the bound passes.</summary>
internal sealed class FirstSyncsActor : ReceiveActor, IWithTimers
{
    private readonly HashSet<string> _waiting;
    private readonly TaskCompletionSource _done;
    private readonly TimeSpan _bound;

    public FirstSyncsActor(IReadOnlyCollection<string> paths, TimeSpan bound, TaskCompletionSource done)
    {
        _waiting = new HashSet<string>(paths, StringComparer.Ordinal);
        _done = done;
        _bound = bound;
        Receive<SyncObserved>(sync =>
        {
            _waiting.Remove(sync.Path);
            if (_waiting.Count == 0)
            {
                Finish();
            }
        });
        Receive<BoundPassed>(_ => Finish());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartSingleTimer(nameof(BoundPassed), new BoundPassed(), _bound);

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _done.TrySetResult();
    }

    private void Finish() => Context.Stop(Self);

    private sealed record BoundPassed;
}
