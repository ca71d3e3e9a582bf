namespace LitestreamActors.Storage.Wal;

/// <summary>How the WAL on disk relates to a position captured earlier.</summary>
public enum WalContinuity
{
    /// <summary>Same WAL generation, the frames up to the position are intact: read on from it.</summary>
    Continuous,

    /// <summary>SQLite restarted the WAL after a checkpoint we saw up to: read the new generation from offset 32.</summary>
    Restarted,

    /// <summary>Frames we had not captured may be lost (unseen checkpoints, truncation, overwrite): a full snapshot is needed.</summary>
    Broken,
}
