namespace LitestreamActors.Node.Control;

/// <summary>The answer of <c>/start</c>, <c>/stop</c>, <c>/register</c>, <c>/unregister</c> and <c>/promote</c>.</summary>
public sealed record OutcomeAnswer(string Status, string Path, string? Txid);
