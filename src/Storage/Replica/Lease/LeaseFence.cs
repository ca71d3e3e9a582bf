namespace LitestreamActors.Storage.Replica.Lease;

/// <summary>
/// Whether this process may write to a replica now: closed until a lease is held, open for good on a backend with no
/// lease, otherwise open until a deadline on the monotonic clock, measured from before the request that acquired or
/// renewed the lease, less a margin (wall clocks jump; a paused process wakes past its deadline and stops). Checked
/// before every write and delete (docs/cluster.md).
/// </summary>
public sealed class LeaseFence(TimeProvider time)
{
    private const long Closed = long.MinValue;
    private const long Unbounded = long.MaxValue;
    private long _deadline = Closed;
    private long _generation;

    /// <summary>The generation of the lease held (0 when none is held or the backend has none), stamped on each file.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool IsOpen => time.GetTimestamp() < Interlocked.Read(ref _deadline);

    /// <summary>The monotonic instant to measure a lease from: read it before the request that acquires or renews.</summary>
    public long Now() => time.GetTimestamp();

    public void HeldFrom(long requestStart, TimeSpan timeToLive, long generation)
    {
        var safe = timeToLive - Margin(timeToLive);
        Interlocked.Exchange(ref _generation, generation);
        Interlocked.Exchange(ref _deadline, requestStart + (long)(safe.TotalSeconds * time.TimestampFrequency));
    }

    public void OpenWithoutLease()
    {
        Interlocked.Exchange(ref _generation, 0);
        Interlocked.Exchange(ref _deadline, Unbounded);
    }

    public void Close() => Interlocked.Exchange(ref _deadline, Closed);

    /// <exception cref="LeaseExpiredException">The lease is not held, or its deadline passed.</exception>
    public void Check(string what)
    {
        if (!IsOpen)
        {
            throw new LeaseExpiredException($"not writing {what}: this process does not hold the replica's {LeaseRecord.FileName} (its deadline passed or another node took it over)");
        }
    }

    // Leaves time for the request that renews and for clock-rate differences between hosts.
    private static TimeSpan Margin(TimeSpan timeToLive) => TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, timeToLive.Ticks / 10));

}
