using Microsoft.Data.Sqlite;

namespace LitestreamActors.Storage.Restore;

/// <summary>Runs PRAGMA quick_check or integrity_check on a database file through SQLite itself.</summary>
public static class SqliteIntegrityCheck
{
    /// <summary>Returns null when the database is sound, else SQLite's first complaint.</summary>
    public static string? Run(string path, IntegrityCheckMode mode)
    {
        if (mode == IntegrityCheckMode.None)
        {
            return null;
        }
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        try
        {
            using var connection = new SqliteConnection(builder.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = mode == IntegrityCheckMode.Quick ? "PRAGMA quick_check" : "PRAGMA integrity_check";
            var result = command.ExecuteScalar() as string;
            return result == "ok" ? null : result ?? "no result";
        }
        catch (SqliteException e)
        {
            return e.Message;
        }
    }
}
