using Akka.Actor;

namespace LitestreamActors.Node.Hosting;

/// <summary>
/// Applies a <see cref="GarbageBudget"/> ten times a second, on the actor system's scheduler: its wheel wakes at that
/// pace anyway, so the check costs no wake of its own (docs/performance.md, "Young garbage"). Off when the environment
/// sets the runtime's own budget (<c>DOTNET_GCgen0size</c>): the operator chose.
/// </summary>
internal sealed class GarbageBudgetTimer : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private readonly ICancelable _schedule;
    private GarbageBudget _budget;

    private GarbageBudgetTimer(IScheduler scheduler, long bytes)
    {
        _budget = new GarbageBudget(bytes, GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
        // Runs on the scheduler's own thread, one run at a time. A collection there pauses every thread anyway.
        _schedule = scheduler.Advanced.ScheduleRepeatedlyCancelable(Period, Period, Check);
    }

    public static GarbageBudgetTimer? Start(IScheduler scheduler) =>
        Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null && Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is null
            ? new GarbageBudgetTimer(scheduler, GarbageBudget.DefaultBytes)
            : null;

    public void Dispose() => _schedule.Cancel();

    private void Check()
    {
        (_budget, var collect) = _budget.Observe(GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
        if (collect)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        }
    }
}
