namespace LitestreamActors.Node.Mcp;

/// <summary>One LTX file in <c>litestream_ltx</c>'s result, TXIDs as 16 hex digits.</summary>
public sealed record LtxFileView(int Level, string MinTxid, string MaxTxid, long Size, DateTimeOffset CreatedAt);
