namespace LitestreamActors.Node.Hosting;

/// <summary>
/// Applies a <see cref="GarbageBudget"/> ten times a second. Off when the environment sets the runtime's own budget
/// (<c>DOTNET_GCgen0size</c>): the operator chose.
/// </summary>
internal sealed class GarbageBudgetTimer : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private readonly Timer _timer;
    private readonly object _gate = new();
    private GarbageBudget _budget;

    private GarbageBudgetTimer(long bytes)
    {
        _budget = new GarbageBudget(bytes, GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
        _timer = new Timer(_ => Check(), null, Period, Period);
    }

    public static GarbageBudgetTimer? Start() =>
        Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is null && Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is null
            ? new GarbageBudgetTimer(GarbageBudget.DefaultBytes)
            : null;

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        lock (_gate)
        {
            (_budget, var collect) = _budget.Observe(GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
            if (collect)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            }
        }
    }
}
