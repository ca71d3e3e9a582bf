namespace LitestreamActors.Storage.Capture;

/// <summary>
/// Where a capture reads the pages a plan names: the database's WAL and file (<see cref="DatabasePageSource"/>). A
/// test wraps it to inject a wrong page and prove the capture check catches it.
/// </summary>
public interface ICapturePageSource
{
    /// <summary>
    /// Every page the plan names, in page order, read as the enumeration proceeds; the buffer is reused between pages.
    /// The source's own checks run when the enumeration completes, so a plan is read whole only when it ends.
    /// </summary>
    IEnumerable<(uint Pgno, byte[] Page)> Read(L0Plan plan);
}
