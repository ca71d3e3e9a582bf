namespace LitestreamActors.Actors.Settings;

/// <summary>
/// One entry of <c>levels:</c>: how often the level compacts, and (ours) how long its files stay once a higher level
/// or a snapshot covers them (null: until the snapshot retention removes them, as upstream).
/// </summary>
public sealed record CompactionLevel(TimeSpan Interval, TimeSpan? Retention = null);
