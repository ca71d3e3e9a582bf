namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Where a capture reads the pages a plan names: the database's WAL and file (<see cref="DatabasePageSource"/>). A
/// test wraps it to inject a wrong page and prove the capture check catches it.
/// </summary>
public interface ICapturePageSource
{
    /// <summary>Every page the plan names, in page order; the buffer is reused between calls.</summary>
    void ReadPages(L0Plan plan, Action<uint, byte[]> page);
}
