using System.Collections.Concurrent;

namespace LitestreamActors.Storage.Capture;

/// <summary>
/// The database files this process holds SQLite sessions on. Opening and closing any other descriptor of such a file
/// drops the POSIX locks SQLite holds on it (they belong to the process and the file, not the descriptor), and an
/// application closing its last connection would then checkpoint and delete the WAL under our read transaction
/// (docs/capture.md, "Never open a watched file"). Whatever only needs to look at a file asks here first.
/// </summary>
public static class OpenDatabases
{
    private static readonly ConcurrentDictionary<string, int> Sessions = new(StringComparer.Ordinal);

    public static bool Contains(string path) => Sessions.ContainsKey(Path.GetFullPath(path));

    internal static void Add(string path) => Sessions.AddOrUpdate(Path.GetFullPath(path), 1, (_, count) => count + 1);

    internal static void Remove(string path)
    {
        var key = Path.GetFullPath(path);
        while (Sessions.TryGetValue(key, out var count))
        {
            if (count == 1 ? Sessions.TryRemove(new KeyValuePair<string, int>(key, 1)) : Sessions.TryUpdate(key, count - 1, count))
            {
                return;
            }
        }
    }
}
