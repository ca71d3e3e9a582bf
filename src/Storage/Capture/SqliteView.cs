namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The database as SQLite shows it inside a read transaction: its size in pages and the fields of page 1's header
/// that SQLite reports through pragmas. A capture's file must agree with it (<see cref="CaptureCheck"/>).
/// </summary>
public sealed record SqliteView(uint PageCount, uint FreelistCount, uint SchemaVersion, uint UserVersion, uint ApplicationId);
