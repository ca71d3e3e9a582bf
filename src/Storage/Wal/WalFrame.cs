namespace LitestreamActors.Storage.Wal;

/// <summary>A frame that passed its salt and checksum checks, and where it sits in the WAL file.</summary>
public readonly record struct WalFrame(long Offset, WalFrameHeader Header);
