namespace LitestreamActors.Storage.Capture;

/// <summary>
/// A published L0 file: the plan written (a full one when the first failed its check), the check failures met on the
/// way, and, when the full check ran, the database's checksum at this TXID as SQLite read it (restore drills compare
/// against it).
/// </summary>
public sealed record CaptureWrite(L0Plan Plan, IReadOnlyList<CaptureCheckFailure> Failures, ulong? SqliteChecksum);
