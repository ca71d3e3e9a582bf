namespace LitestreamActors.Node.Mcp;

/// <summary><c>litestream_restore</c>'s result: the file written, the TXID it holds and how many LTX files made it.</summary>
public sealed record RestoreAnswer(string Path, string Txid, int Files);
