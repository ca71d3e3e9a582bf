namespace LitestreamActors.Storage.Restore;

public sealed record RestoreResult(string OutputPath, ulong Txid, uint PageCount, int FileCount, TimeSpan Duration)
{
    /// <summary>How often the restore planned again because a planned file had been deleted meanwhile.</summary>
    public int Replans { get; init; }
}
