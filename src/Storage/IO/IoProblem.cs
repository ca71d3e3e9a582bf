namespace LitestreamActors.Storage.IO;

/// <summary>
/// A file-system failure in words that stay the same while the cause lasts: a full disk names the folder, not the file
/// being written, so a capture that keeps failing for it is logged once (docs/reliability.md).
/// </summary>
public static class IoProblem
{
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;

    public static string Describe(Exception e, string folder) => ((e as IOException)?.HResult & 0xFFFF) switch
    {
        NoSpace => $"no space left on device in {folder}",
        QuotaExceeded => $"disk quota exceeded in {folder}",
        _ => e.Message,
    };
}
