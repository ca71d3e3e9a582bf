namespace LitestreamActors.Node.Configuration;

/// <summary><c>cluster.split-brain</c>: Akka's split brain resolver, which downs the side of a partition that loses.</summary>
public sealed record SplitBrainSettings(string Strategy, TimeSpan StableAfter)
{
    public const string KeepMajority = "keep-majority";
    public const string KeepOldest = "keep-oldest";

    public static IReadOnlySet<string> Strategies { get; } = new HashSet<string>(StringComparer.Ordinal) { KeepMajority, KeepOldest };
}
