namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The full check of the published state at a TXID: the database's checksum there as SQLite read it, and what
/// differed when our state was not SQLite's (a capture bug: the next capture writes a full L0 file).
/// </summary>
public sealed record PositionCheck(ulong Txid, ulong SqliteChecksum, string? Problem);
