namespace LitestreamActors.Storage.Wal;

/// <summary>Where capture stopped in a WAL: the salts of that WAL generation and the end of the last committed frame.</summary>
public readonly record struct WalPosition(uint Salt1, uint Salt2, long Offset);
