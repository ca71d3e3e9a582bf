namespace LitestreamActors.Actors.Control;

/// <summary>What a start, stop, register or unregister request did (upstream's status words) and the TXID then.</summary>
public sealed record ControlOutcome(string Status, string Path, ulong? Txid);
