namespace LitestreamActors.TestSupport;

/// <summary>Polls a condition until it holds or a deadline passes (for waiting on a replicating process, never for timing).</summary>
public static class Eventually
{
    public static void True(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(describe());
            }
            Thread.Sleep(100);
        }
    }
}
