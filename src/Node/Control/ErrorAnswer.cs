namespace LitestreamActors.Node.Control;

/// <summary>A refusal: <c>{"error": "..."}</c>, the one line the CLI prints.</summary>
public sealed record ErrorAnswer(string Error);
