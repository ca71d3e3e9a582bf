namespace LitestreamActors.Storage.Restore;

public sealed record RestoreResult(string OutputPath, ulong Txid, uint PageCount, int FileCount, TimeSpan Duration);
