namespace LitestreamActors.Node.Hosting;

/// <summary>
/// When to collect the young generation ourselves: once <see cref="Bytes"/> have been allocated since the last
/// collection, if the runtime has not collected meanwhile. The runtime sizes its own budget from the CPU's cache (more
/// than 100 MB on some machines) and reads a smaller one only from the environment; until it collects, everything
/// allocated stays resident (docs/performance.md, "Memory").
/// </summary>
public sealed record GarbageBudget(long Bytes, int Collections = 0, long AllocatedAtCollection = 0)
{
    /// <summary>Small next to what the runtime sizes from a large cache (docs/performance.md, "Memory").</summary>
    public const long DefaultBytes = 8L << 20;

    /// <summary>The next state for what the runtime reports now, and whether to collect.</summary>
    public (GarbageBudget Next, bool Collect) Observe(int collections, long allocated)
    {
        if (collections != Collections)
        {
            return (this with { Collections = collections, AllocatedAtCollection = allocated }, false);
        }
        return allocated - AllocatedAtCollection >= Bytes
            ? (this with { Collections = collections + 1, AllocatedAtCollection = allocated }, true)
            : (this, false);
    }
}
