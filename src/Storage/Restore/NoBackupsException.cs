namespace LitestreamActors.Storage.Restore;

/// <summary>The replica holds no file that a restore to the target could start from.</summary>
public sealed class NoBackupsException(string message) : StorageException(message);
