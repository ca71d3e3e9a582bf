namespace LitestreamActors.Node.Control;

/// <summary>
/// <c>POST /cluster/restore</c>: the database (a path as the catalog shows it, or NODE:PATH), the replica by name, the
/// TXID (16 hex digits) or RFC 3339 moment to restore to (neither: what the owner holds once it has synced), and
/// whether to answer with the plan only.
/// </summary>
public sealed record ClusterRestoreRequest(string? Path, string? Replica, string? Txid, string? Timestamp, bool? DryRun, int? Timeout);
