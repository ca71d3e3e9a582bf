namespace LitestreamActors.Storage.Capture;

/// <summary>The database path holds a file that is not an SQLite database; nothing is written to it.</summary>
public sealed class NotSqliteException(string path)
    : StorageException($"{path} is not an SQLite database (it does not start with the SQLite header); nothing was written to it");
