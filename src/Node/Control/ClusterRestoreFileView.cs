namespace LitestreamActors.Node.Control;

/// <summary>One LTX file of a cluster restore's plan, TXIDs as 16 hex digits.</summary>
public sealed record ClusterRestoreFileView(int Level, string Name, string MinTxid, string MaxTxid, long Size);
