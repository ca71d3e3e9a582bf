namespace LitestreamActors.Node.Hosting;

/// <summary>
/// Applies a <see cref="GarbageBudget"/> ten times a second while the process allocates, less often while it is idle.
/// Off when the environment sets the runtime's own budget (<c>DOTNET_GCgen0size</c>): the operator chose.
/// </summary>
internal sealed class GarbageBudgetTimer : IDisposable
{
    private readonly Timer _timer;
    private readonly object _gate = new();
    private GarbageBudget _budget;
    private long _allocatedAtCheck;

    private GarbageBudgetTimer(long bytes)
    {
        _allocatedAtCheck = GC.GetTotalAllocatedBytes();
        _budget = new GarbageBudget(bytes, GC.CollectionCount(0), _allocatedAtCheck);
        _timer = new Timer(_ => Check(), null, GarbageBudget.BusyCheck, Timeout.InfiniteTimeSpan);
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
            var allocated = GC.GetTotalAllocatedBytes();
            (_budget, var collect) = _budget.Observe(GC.CollectionCount(0), allocated);
            if (collect)
            {
                GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            }
            var next = _budget.NextCheck(allocated - _allocatedAtCheck);
            _allocatedAtCheck = allocated;
            try
            {
                _timer.Change(next, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // The node stopped meanwhile.
            }
        }
    }
}
