namespace LitestreamActors.Node.Mcp;

/// <summary><c>litestream_cluster_restore</c>'s result: the file written, whose replica it came from, its TXID and checksum.</summary>
public sealed record ClusterRestoreAnswer(string Path, string Owner, string Replica, string Txid, string Checksum, int Files);
