namespace LitestreamActors.Cli.Tests;

/// <summary>One mutated config: what was done to it, and whether no reading of it can be valid.</summary>
public sealed record ConfigMutation(string Text, string Kind, bool MustFail);
