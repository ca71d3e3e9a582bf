namespace LitestreamActors.Storage.Ltx;

/// <summary>An LTX file that is truncated, corrupt or breaks a rule of the format.</summary>
public sealed class LtxFormatException(string message) : StorageException(message);
