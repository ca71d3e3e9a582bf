namespace LitestreamActors.Actors.Watching;

/// <summary>A watched WAL changed; coalesced by its database actor.</summary>
public sealed record WalChanged
{
    public static WalChanged Instance { get; } = new();
}
