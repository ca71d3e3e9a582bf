namespace LitestreamActors.TestSupport;

/// <summary>
/// A ledger load: <see cref="Connections"/> writers, each committing <see cref="Transactions"/> transactions of
/// <see cref="Rows"/> rows of <see cref="BlobBytes"/> random bytes; <see cref="Rate"/> transactions a second over all
/// writers (0: as fast as they go); <see cref="AutoCheckpoint"/> pages of <c>wal_autocheckpoint</c> (-1: SQLite's
/// default). With <see cref="ShrinkEvery"/>, every that many transactions a writer deletes half its rows and runs
/// <c>VACUUM</c>, so the database file shrinks.
/// </summary>
public sealed record LedgerLoad(int Connections, int Transactions, int Rows, int BlobBytes, int Rate = 0, int AutoCheckpoint = -1, int ShrinkEvery = 0);
