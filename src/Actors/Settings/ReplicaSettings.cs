using LitestreamActors.Storage.Replica;

namespace LitestreamActors.Actors.Settings;

/// <summary>One replica target of a database. Name is the config's <c>name:</c>, else the backend type.</summary>
public sealed record ReplicaSettings(string Name, ReplicaEndpoint Endpoint)
{
    public TimeSpan SyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A promoted standby's replica: its lease records this database as the one that writes it from now on.</summary>
    public bool ClaimsTarget { get; init; }

    /// <summary>Levels 1, 2, … (the global <c>levels:</c>; upstream's default intervals 30s, 5m, 1h).</summary>
    public IReadOnlyList<CompactionLevel> Levels { get; init; } = DefaultLevels;

    /// <summary>How often a level 9 snapshot is taken (the replica's <c>snapshot-interval:</c> as 0.3, else <c>snapshot.interval</c>, default 24h).</summary>
    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long snapshots are kept (the replica's <c>retention:</c>, else <c>snapshot.retention</c>, default 24h; the newest always).</summary>
    public TimeSpan SnapshotRetention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long L0 files stay after level 1 covers them (<c>l0-retention</c>, default 5m; zero keeps them).</summary>
    public TimeSpan L0Retention { get; init; } = TimeSpan.FromMinutes(5);

    public TimeSpan L0RetentionCheckInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>False (<c>retention.enabled: false</c>) never deletes replica files; lifecycle rules are expected to.</summary>
    public bool RetentionEnabled { get; init; } = true;

    /// <summary>How often a restore drill proves the replica restorable (the global <c>verify.interval</c>, ours); null: never.</summary>
    public TimeSpan? DrillInterval { get; init; }

    public static IReadOnlyList<CompactionLevel> DefaultLevels { get; } =
        [new(TimeSpan.FromSeconds(30)), new(TimeSpan.FromMinutes(5)), new(TimeSpan.FromHours(1))];
}
