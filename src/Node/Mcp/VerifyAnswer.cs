namespace LitestreamActors.Node.Mcp;

/// <summary><c>litestream_verify</c>'s result: ok when nothing is wrong, else each problem in one line.</summary>
public sealed record VerifyAnswer(bool Ok, int Files, string NewestTxid, string? RestorableTxid, IReadOnlyList<string> Problems);
