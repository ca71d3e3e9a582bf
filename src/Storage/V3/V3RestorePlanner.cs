using LitestreamActors.Storage.Restore;

namespace LitestreamActors.Storage.V3;

/// <summary>
/// Upstream's RestoreV3 plan (docs/formats.md §5.3): the newest snapshot across generations (created at or before the
/// moment asked for), then its generation's WAL segments from the snapshot's index, every index present.
/// </summary>
public static class V3RestorePlanner
{
    public static V3RestorePlan Plan(V3Backup backup, V3RestoreTarget target)
    {
        var snapshot = backup.Snapshots
            .Where(s => target.Generation is null || s.Generation == target.Generation)
            .Where(s => target.Timestamp is not { } at || s.CreatedAt <= at)
            .Where(s => target.Index is not { } last || s.Index <= last)
            .OrderBy(s => s.CreatedAt).ThenBy(s => s.Index)
            .LastOrDefault()
            ?? throw new NoBackupsException(target switch
            {
                { Generation: { } g } when !backup.Generations.Contains(g) => $"generation {g} not found in the replica",
                { Timestamp: { } at } => $"no Litestream 0.3 snapshot before {at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}",
                _ => "no Litestream 0.3 snapshot in the replica",
            });

        var segments = backup.Segments
            .Where(s => s.Generation == snapshot.Generation && s.Index >= snapshot.Index)
            .Where(s => target.Timestamp is not { } at || s.CreatedAt <= at)
            .Where(s => target.Index is not { } last || s.Index <= last)
            .ToList();
        var expected = snapshot.Index;
        foreach (var index in segments.Select(s => s.Index).Distinct())
        {
            if (index != expected)
            {
                throw new RestoreException(
                    $"generation {snapshot.Generation}: WAL index {expected:x8} is missing (next present: {index:x8}); the backup has a gap");
            }
            expected++;
        }
        return new V3RestorePlan(snapshot, segments);
    }
}
