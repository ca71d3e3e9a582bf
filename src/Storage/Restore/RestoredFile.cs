namespace LitestreamActors.Storage.Restore;

/// <summary>
/// The last step of every restore: the temp file (already fsynced) passes the integrity check asked for, then is
/// renamed over the output and the folder fsynced; on any failure the temp file and its sidecars go.
/// </summary>
internal static class RestoredFile
{
    public static async Task<T> WriteAsync<T>(string outputPath, IntegrityCheckMode integrityCheck, bool overwrite, Func<string, Task<T>> writeTemp)
    {
        var directory = Path.GetDirectoryName(outputPath)!;
        Directory.CreateDirectory(directory);
        var temp = outputPath + ".tmp";
        try
        {
            var result = await writeTemp(temp);
            if (SqliteIntegrityCheck.Run(temp, integrityCheck) is { } problem)
            {
                throw new RestoreException($"integrity check failed on restored database: {problem}");
            }
            DeleteSidecars(temp);
            if (overwrite)
            {
                DeleteSidecars(outputPath);
            }
            File.Move(temp, outputPath, overwrite);
            IO.DurableFile.FsyncDirectory(directory);
            return result;
        }
        catch
        {
            File.Delete(temp);
            DeleteSidecars(temp);
            throw;
        }
    }

    private static void DeleteSidecars(string databasePath)
    {
        foreach (var suffix in new[] { "-wal", "-shm", "-journal" })
        {
            File.Delete(databasePath + suffix);
        }
    }
}
