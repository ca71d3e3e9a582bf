namespace LitestreamActors.Node.Configuration;

/// <summary>
/// Names the replicas of one database (after its <c>dbs</c> entries are merged): an explicit <c>name:</c> as written;
/// otherwise the backend type for the first of that type, then <c>type-2</c>, <c>type-3</c>… for the next ones,
/// skipping names already taken. Two explicit names alike are a conflict, reported with both lines.
/// </summary>
public static class ReplicaNames
{
    /// <summary>One replica as the config gives it: its <c>name:</c> if any, its type, and its line.</summary>
    public sealed record Entry(string? Explicit, string Type, int Line);

    /// <summary>Two replicas of one database named alike.</summary>
    public sealed record Conflict(string Name, int FirstLine, int SecondLine);

    /// <returns>The names in order, or the first conflict.</returns>
    public static (IReadOnlyList<string>? Names, Conflict? Conflict) Assign(IReadOnlyList<Entry> entries)
    {
        var explicitLines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.Explicit is not null))
        {
            if (!explicitLines.TryAdd(entry.Explicit!, entry.Line))
            {
                return (null, new Conflict(entry.Explicit!, explicitLines[entry.Explicit!], entry.Line));
            }
        }
        var taken = new HashSet<string>(explicitLines.Keys, StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var entry in entries)
        {
            if (entry.Explicit is { } name)
            {
                names.Add(name);
                continue;
            }
            var candidate = entry.Type;
            for (var n = 2; !taken.Add(candidate); n++)
            {
                candidate = $"{entry.Type}-{n}";
            }
            names.Add(candidate);
        }
        return (names, null);
    }
}
