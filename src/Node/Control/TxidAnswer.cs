namespace LitestreamActors.Node.Control;

/// <summary><c>/txid</c>: the database's last captured TXID, 16 hex digits.</summary>
public sealed record TxidAnswer(string? Txid);
