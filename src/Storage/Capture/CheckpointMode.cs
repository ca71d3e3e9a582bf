namespace LitestreamActors.Storage.Capture;

public enum CheckpointMode
{
    /// <summary>Copies what it can without waiting for anyone; done under our write barrier so no frame escapes capture.</summary>
    Passive,

    /// <summary>The emergency: waits for writers and readers, empties the WAL; the next capture is a snapshot.</summary>
    Truncate,
}
